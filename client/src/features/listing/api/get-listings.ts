import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Listing } from './types.ts';

export type ListingFilter = 'active' | 'closed' | 'all';

/** The listing board, newest first. */
export const getListings = (status: ListingFilter): Promise<Listing[]> =>
  apiRequest<Listing[]>('/api/listings', { query: { status, limit: 100 } });

export function useListings(status: ListingFilter) {
  return useQuery({ queryKey: queryKeys.listingsBy(status), queryFn: () => getListings(status) });
}
