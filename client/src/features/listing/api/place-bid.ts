import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Listing, ListingBid } from './types.ts';

export interface BidRequest {
  listingId: string;
  price: string;
  /** Sealed mode only: quantity wanted at that price (default: what was registered for). */
  quantity?: string;
}

export const placeBid = ({ listingId, price, quantity }: BidRequest): Promise<{ bid: ListingBid; listing: Listing }> =>
  apiRequest<{ bid: ListingBid; listing: Listing }>(`/api/listings/${encodeURIComponent(listingId)}/bids`, {
    method: 'POST',
    body: quantity ? { price, quantity } : { price },
  });

export function usePlaceBid() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: placeBid,
    onSuccess: ({ listing }) => queryClient.setQueryData(queryKeys.listing(listing.id), listing),
    onSettled: (_data, _error, { listingId }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.listing(listingId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.listingBids(listingId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
    },
  });
}
