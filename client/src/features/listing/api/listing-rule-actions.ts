import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ListingObjection, RelistBody } from '../../../../../contract/listing-rules.ts';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Listing } from './types.ts';

// The listing rules' calls (issue 15): objections and their answers, the lottery commitment,
// accepting the cap, the draw, and relisting a failed listing. Each refreshes what it changed.

const path = (id: string, rest: string) => `/api/listings/${encodeURIComponent(id)}/${rest}`;

export interface DeskObjection extends ListingObjection {
  listingTitle: string;
  symbol: string;
  listingStatus: string;
}

function useListingMutation<V>(fn: (vars: V) => Promise<Listing>, listingOf: (vars: V, data?: Listing) => string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: (data, _error, vars) => {
      const id = listingOf(vars, data);
      if (id) void queryClient.invalidateQueries({ queryKey: queryKeys.listing(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.listings });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account });
      void queryClient.invalidateQueries({ queryKey: queryKeys.publicListings });
      void queryClient.invalidateQueries({ queryKey: ['admin', 'listing-objections'] });
    },
  });
}

export const useFileObjection = () =>
  useListingMutation(({ listingId, reason }: { listingId: string; reason: string }) => apiRequest<Listing>(path(listingId, 'objections'), { method: 'POST', body: { reason } }), (v) => v.listingId);

export const useDecideObjection = () =>
  useListingMutation(
    ({ objectionId, outcome, reason }: { objectionId: string; outcome: 'upheld' | 'dismissed'; reason: string }) =>
      apiRequest<Listing>(`/api/admin/listing-objections/${encodeURIComponent(objectionId)}/decision`, { method: 'POST', body: { outcome, reason } }),
    (_v, data) => data?.id,
  );

export const useCommitSeed = () =>
  useListingMutation(({ listingId, commitment }: { listingId: string; commitment: string }) => apiRequest<Listing>(path(listingId, 'seed-commitment'), { method: 'PUT', body: { commitment } }), (v) => v.listingId);

export const useAcceptCap = () => useListingMutation(({ listingId }: { listingId: string }) => apiRequest<Listing>(path(listingId, 'cap-acceptances'), { method: 'POST', body: {} }), (v) => v.listingId);

export const useDrawLottery = () =>
  useListingMutation(({ listingId, seed }: { listingId: string; seed: string }) => apiRequest<Listing>(path(listingId, 'draw'), { method: 'POST', body: { seed } }), (v) => v.listingId);

export const useRelist = () =>
  useListingMutation(({ listingId, body }: { listingId: string; body: RelistBody }) => apiRequest<Listing>(path(listingId, 'relist'), { method: 'POST', body }), (v) => v.listingId);

export function useObjectionDesk(status: 'pending' | 'all') {
  return useQuery({
    queryKey: ['admin', 'listing-objections', status],
    queryFn: () => apiRequest<DeskObjection[]>('/api/admin/listing-objections', { query: { status } }),
  });
}
