import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

export interface DepositRequest {
  participantId: number | string;
  amount: string;
  reference: string;
}

export const confirmDeposit = (body: DepositRequest): Promise<unknown> =>
  apiRequest<unknown>('/api/admin/deposits', { method: 'POST', body });

export function useConfirmDeposit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: confirmDeposit,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.participants }),
  });
}
