import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { CreateListingRequest, Listing } from './types.ts';

/** Lists a quantity for auction; the seller's quantity is locked until the close. */
export const createListing = (body: CreateListingRequest): Promise<Listing> => apiRequest<Listing>('/api/listings', { method: 'POST', body });

export function useCreateListing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createListing,
    onSuccess: (listing) => {
      queryClient.setQueryData(queryKeys.listing(listing.id), listing);
      void queryClient.invalidateQueries({ queryKey: queryKeys.listings });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
    },
  });
}
