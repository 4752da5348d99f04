import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DemandRegistration } from '../../../../../contract/demand-listings.ts';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

/** Registers as a seller: the margin is locked from available cash. */
export const registerDemandSeller = (id: string): Promise<DemandRegistration> =>
  apiRequest<DemandRegistration>(`/api/demand-listings/${encodeURIComponent(id)}/registrations`, { method: 'POST' });

export function useRegisterDemandSeller() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: registerDemandSeller,
    onSettled: (_data, _error, id) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.demandListing(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
    },
  });
}
