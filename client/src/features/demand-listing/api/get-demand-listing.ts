import { useQuery } from '@tanstack/react-query';
import type { DemandListing } from '../../../../../contract/demand-listings.ts';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

export const getDemandListing = (id: string): Promise<DemandListing> => apiRequest<DemandListing>(`/api/demand-listings/${encodeURIComponent(id)}`);

/** One demand listing, re-read every few seconds: the lowest offer and the close move while it is open. */
export function useDemandListing(id: string) {
  return useQuery({ queryKey: queryKeys.demandListing(id), queryFn: () => getDemandListing(id), refetchInterval: (q) => (q.state.data && q.state.data.status !== 'open' && q.state.data.status !== 'closing' ? false : 2_000) });
}
