import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { DepositRecord } from '../../../../../contract/staff-admin.ts';

const HISTORY = ['admin', 'deposits'] as const;
export const DEPOSIT_HISTORY_LIMIT = 100;

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
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.participants }), queryClient.invalidateQueries({ queryKey: HISTORY })]),
  });
}

export const getDepositHistory = (): Promise<DepositRecord[]> => apiRequest<DepositRecord[]>('/api/admin/deposits', { query: { limit: DEPOSIT_HISTORY_LIMIT } });

export function useDepositHistory() {
  return useQuery({ queryKey: HISTORY, queryFn: getDepositHistory });
}
