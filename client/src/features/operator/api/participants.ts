import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Participant, ParticipantKind } from '../../../shared/api/types.ts';

export type { AdminParticipant } from '../../../../../contract/staff-admin.ts';
import type { AdminParticipant } from '../../../../../contract/staff-admin.ts';

export const getParticipants = (): Promise<AdminParticipant[]> => apiRequest<AdminParticipant[]>('/api/admin/participants');

export function useParticipants() {
  return useQuery({ queryKey: queryKeys.participants, queryFn: getParticipants });
}

export interface AdmitParticipantRequest {
  name: string;
  kind: ParticipantKind;
  region: string;
  username: string;
  password: string;
}

export interface AdmitParticipantResponse {
  participant: Participant;
  user: { id: number | string; username: string };
}

export const admitParticipant = (body: AdmitParticipantRequest): Promise<AdmitParticipantResponse> =>
  apiRequest<AdmitParticipantResponse>('/api/admin/participants', { method: 'POST', body });

export function useAdmitParticipant() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: admitParticipant,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.participants }),
  });
}
