import { useMutation } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import type { LoginResponse } from '../../../shared/api/types.ts';
import type { FirstOperatorBody } from '../../../../../contract/setup.ts';

/** Exchanges the setup token for the first operator, then signs that operator in. */
export async function createFirstOperator(body: FirstOperatorBody): Promise<LoginResponse> {
  await apiRequest<unknown>('/api/setup/operator', { method: 'POST', body, skipAuthRedirect: true });
  return apiRequest<LoginResponse>('/api/auth/login', { method: 'POST', body: { username: body.username, password: body.password }, skipAuthRedirect: true });
}

export function useCreateFirstOperator() {
  return useMutation({ mutationFn: createFirstOperator });
}
