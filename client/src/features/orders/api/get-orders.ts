import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Order } from '../../../shared/api/types.ts';

export const getOrders = (status: 'open' | 'all', symbol?: string): Promise<Order[]> =>
  apiRequest<Order[]>('/api/orders', { query: { status, symbol } });

export function useOrders(status: 'open' | 'all', symbol?: string, enabled = true) {
  return useQuery({ queryKey: queryKeys.ordersBy(status, symbol), queryFn: () => getOrders(status, symbol), enabled });
}
