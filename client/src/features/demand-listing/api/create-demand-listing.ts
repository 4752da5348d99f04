import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateDemandBody, DemandListing } from '../../../../../contract/demand-listings.ts';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

/** Posts a demand listing; the buyer's cash at the starting price is locked until the close. */
export const createDemandListing = (body: CreateDemandBody): Promise<DemandListing> => apiRequest<DemandListing>('/api/demand-listings', { method: 'POST', body });

export function useCreateDemandListing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createDemandListing,
    onSuccess: (listing) => {
      queryClient.setQueryData(queryKeys.demandListing(listing.id), listing);
      void queryClient.invalidateQueries({ queryKey: queryKeys.demandListings });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
    },
  });
}
