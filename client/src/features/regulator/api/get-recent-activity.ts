import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { RegulatorOrder, RegulatorTrade } from '../../../../../contract/regulator.ts';

export const RECENT_LIMIT = 50;

export const getRecentTrades = (): Promise<RegulatorTrade[]> =>
  apiRequest<RegulatorTrade[]>('/api/regulator/trades', { query: { limit: RECENT_LIMIT } });

export const getRecentOrders = (): Promise<RegulatorOrder[]> =>
  apiRequest<RegulatorOrder[]>('/api/regulator/orders', { query: { limit: RECENT_LIMIT } });

export function useRecentTrades() {
  return useQuery({ queryKey: queryKeys.regulatorTrades, queryFn: getRecentTrades });
}

export function useRecentOrders() {
  return useQuery({ queryKey: queryKeys.regulatorOrders, queryFn: getRecentOrders });
}
