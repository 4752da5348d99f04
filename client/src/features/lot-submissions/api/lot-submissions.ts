import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import type { Division, LotSubmission, ReviewBody } from '../../../../../contract/lot-submissions.ts';

export type { Division, LotSubmission };

const keys = {
  all: ['lot-submissions'] as const,
  list: (queue: string) => ['lot-submissions', queue] as const,
  divisions: ['divisions', '36'] as const,
};

/** The seller's own submissions (a participant sees only its own), or an operator's queue. */
export function useLotSubmissions(queue: 'own' | 'review' | 'approval') {
  return useQuery({
    queryKey: keys.list(queue),
    queryFn: () => apiRequest<LotSubmission[]>('/api/lot-submissions', { query: queue === 'own' ? {} : { queue } }),
  });
}

/** The Jiangxi counties for the division select; they change with a package release, not a day. */
export function useDivisions() {
  return useQuery({ queryKey: keys.divisions, queryFn: () => apiRequest<Division[]>('/api/divisions', { query: { province: '36' } }), staleTime: Infinity });
}

function useSubmissionStep<V>(send: (v: V) => Promise<LotSubmission>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: send, onSettled: () => queryClient.invalidateQueries({ queryKey: keys.all }) });
}

export const useReview = () => useSubmissionStep((v: { id: string } & ReviewBody) => apiRequest<LotSubmission>(`/api/lot-submissions/${v.id}/review`, { method: 'POST', body: { decision: v.decision, reason: v.reason } }));
export const useApprove = () => useSubmissionStep((id: string) => apiRequest<LotSubmission>(`/api/lot-submissions/${id}/approve`, { method: 'POST' }));
export const useWithdraw = () => useSubmissionStep((id: string) => apiRequest<LotSubmission>(`/api/lot-submissions/${id}/withdraw`, { method: 'POST' }));

export const invalidateSubmissions = (queryClient: ReturnType<typeof useQueryClient>) => queryClient.invalidateQueries({ queryKey: keys.all });
