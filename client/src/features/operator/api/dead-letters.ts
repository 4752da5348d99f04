import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import type { DeadLetter, DeadLetterReplay } from '../../../../../contract/settlement.ts';

const KEY = ['admin', 'dead-letters'] as const;

export const getDeadLetters = (): Promise<DeadLetter[]> => apiRequest<DeadLetter[]>('/api/admin/settlements/dead-letters');
export const replayDeadLetter = (tradeId: string): Promise<DeadLetterReplay> =>
  apiRequest<DeadLetterReplay>(`/api/admin/settlements/${encodeURIComponent(tradeId)}/replay`, { method: 'POST', body: {} });

export function useDeadLetters() {
  return useQuery({ queryKey: KEY, queryFn: getDeadLetters, refetchInterval: 30_000 });
}

export function useReplayDeadLetter() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: replayDeadLetter, onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }) });
}
