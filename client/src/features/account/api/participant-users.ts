import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';

export interface ParticipantUser {
  id: string;
  username: string;
  role: 'admin' | 'trader' | 'viewer';
  createdAt: string;
  disabled: boolean;
  mustChangePassword: boolean;
}

export const participantUsersKey = (participantId: string) => ['participant-users', participantId] as const;

/** The participant's users; its admin (and the operator) may list them, others get 403 NOT_PARTICIPANT_ADMIN. */
export function useParticipantUsers(participantId: string | null) {
  return useQuery({
    queryKey: participantUsersKey(participantId ?? ''),
    queryFn: () => apiRequest<ParticipantUser[]>(`/api/onboarding/participants/${participantId}/users`),
    enabled: participantId !== null,
  });
}
