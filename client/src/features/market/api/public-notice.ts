import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PublicListingNotice } from '../../../../../contract/public-listings.ts';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

// One listing's public notice (公告 / 成交公示), no sign-in; and a participant's objection filed from it.

const noticeKey = (id: string) => [...queryKeys.publicListings, id] as const;

export function usePublicNotice(id: string) {
  return useQuery({
    queryKey: noticeKey(id),
    queryFn: () => apiRequest<PublicListingNotice>(`/api/public/listings/${encodeURIComponent(id)}`, { skipAuthRedirect: true }),
    refetchInterval: 15_000,
  });
}

export function useObjectFromNotice(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => apiRequest<unknown>(`/api/listings/${encodeURIComponent(id)}/objections`, { method: 'POST', body: { reason } }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: noticeKey(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.listing(id) });
    },
  });
}
