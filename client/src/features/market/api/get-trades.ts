import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { PublicTrade } from '../../../shared/api/types.ts';

export const TAPE_LENGTH = 50;

/** Newest first, as the server sends them. */
export const getTrades = (symbol: string): Promise<PublicTrade[]> =>
  apiRequest<PublicTrade[]>(`/api/instruments/${encodeURIComponent(symbol)}/trades`, { query: { limit: TAPE_LENGTH } });

export function useTrades(symbol: string) {
  return useQuery({ queryKey: queryKeys.trades(symbol), queryFn: () => getTrades(symbol) });
}
