import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DemandBidResult } from '../../../../../contract/demand-listings.ts';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

export interface DemandBidRequest {
  id: string;
  price: string;
}

/** Bids the price down; the seller's quantity is locked while it leads. */
export const placeDemandBid = ({ id, price }: DemandBidRequest): Promise<DemandBidResult> =>
  apiRequest<DemandBidResult>(`/api/demand-listings/${encodeURIComponent(id)}/bids`, { method: 'POST', body: { price } });

export function usePlaceDemandBid() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: placeDemandBid,
    onSuccess: ({ demandListing }) => queryClient.setQueryData(queryKeys.demandListing(demandListing.id), demandListing),
    onSettled: (_data, _error, { id }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.demandListing(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.demandBids(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
    },
  });
}
