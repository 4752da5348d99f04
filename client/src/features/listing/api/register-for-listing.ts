import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { ListingRegistration } from './types.ts';

export interface RegisterRequest {
  listingId: string;
  /** Sealed mode only: the most the bidder will bid for; it sets the margin. */
  quantity?: string;
}

/** Registers to bid; the margin (保证金) is locked from available cash. */
export const registerForListing = ({ listingId, quantity }: RegisterRequest): Promise<ListingRegistration> =>
  apiRequest<ListingRegistration>(`/api/listings/${encodeURIComponent(listingId)}/registrations`, {
    method: 'POST',
    body: quantity ? { quantity } : {},
  });

export function useRegisterForListing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: registerForListing,
    onSettled: (_data, _error, { listingId }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.listing(listingId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
    },
  });
}
