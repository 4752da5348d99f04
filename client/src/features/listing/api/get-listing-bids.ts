import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { ListingBid } from './types.ts';

/** Oldest first. Sealed bids stay hidden (but for one's own) until the close. */
export const getListingBids = (id: string): Promise<ListingBid[]> => apiRequest<ListingBid[]>(`/api/listings/${encodeURIComponent(id)}/bids`);

export function useListingBids(id: string) {
  return useQuery({ queryKey: queryKeys.listingBids(id), queryFn: () => getListingBids(id) });
}
