import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import type { LoginResponse } from '../../../shared/api/types.ts';

export interface Credentials {
  username: string;
  password: string;
}

export const login = (credentials: Credentials): Promise<LoginResponse> =>
  apiRequest<LoginResponse>('/api/auth/login', { method: 'POST', body: credentials, skipAuthRedirect: true });

export function useLogin() {
  return useMutation({ mutationFn: login });
}
