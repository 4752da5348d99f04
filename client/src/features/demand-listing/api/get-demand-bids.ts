import { useQuery } from '@tanstack/react-query';
import type { DemandBid } from '../../../../../contract/demand-listings.ts';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

export const getDemandBids = (id: string): Promise<DemandBid[]> => apiRequest<DemandBid[]>(`/api/demand-listings/${encodeURIComponent(id)}/bids`);

export function useDemandBids(id: string, open: boolean) {
  return useQuery({ queryKey: queryKeys.demandBids(id), queryFn: () => getDemandBids(id), refetchInterval: open ? 2_000 : false });
}
