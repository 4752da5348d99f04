import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import type { LoginResponse } from '../../../shared/api/types.ts';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/** Every earlier session of the user ends; the answer is the new one (its cookie is set too). */
export const changePassword = (body: PasswordChange): Promise<LoginResponse> => apiRequest<LoginResponse>('/api/auth/password', { method: 'POST', body });

export function useChangePassword() {
  return useMutation({ mutationFn: changePassword });
}
