import { useMutation } from '@tanstack/react-query';
import { apiRequest } from './client.ts';

// Disable, enable and force a password reset of one user. The operator reaches any user through
// /api/admin/users/:id; a participant's admin its own users through
// /api/onboarding/participants/:participantId/users/:id. Both answer the same shapes.

export type UserAccessAction = 'disable' | 'enable' | 'password-reset';

export interface AccountState {
  id: string;
  username: string;
  disabled: boolean;
  mustChangePassword: boolean;
  /** Only after a reset: shown once to whoever reset it. */
  temporaryPassword?: string;
}

export const userAccessPath = (userId: string, participantId?: string): string =>
  participantId ? `/api/onboarding/participants/${participantId}/users/${userId}` : `/api/admin/users/${userId}`;

export function useUserAccess(basePath: string, onDone: () => void) {
  return useMutation({
    mutationFn: (action: UserAccessAction) => apiRequest<AccountState>(`${basePath}/${action}`, { method: 'POST' }),
    onSuccess: onDone,
  });
}
