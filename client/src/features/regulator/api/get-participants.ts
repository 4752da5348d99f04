import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Participant } from '../../../shared/api/types.ts';

/** Live socket messages name participants by id; this list turns ids into names. */
export const getParticipants = (): Promise<Participant[]> => apiRequest<Participant[]>('/api/admin/participants');

export function useParticipantNames() {
  return useQuery({ queryKey: queryKeys.participants, queryFn: getParticipants, staleTime: 60_000 });
}
