import { useQuery } from '@tanstack/react-query';
import type { DemandListing } from '../../../../../contract/demand-listings.ts';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

export type DemandFilter = 'active' | 'closed';

/** The demand board, newest first. */
export const getDemandListings = (status: DemandFilter): Promise<DemandListing[]> => apiRequest<DemandListing[]>('/api/demand-listings', { query: { status, limit: 100 } });

export function useDemandListings(status: DemandFilter) {
  return useQuery({ queryKey: queryKeys.demandListingsBy(status), queryFn: () => getDemandListings(status), refetchInterval: 10_000 });
}
