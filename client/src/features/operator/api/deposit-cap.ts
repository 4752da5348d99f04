import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

export type { DepositCap } from '../../../../../contract/staff-admin.ts';
import type { DepositCap } from '../../../../../contract/staff-admin.ts';

export const getDepositCap = (): Promise<DepositCap> => apiRequest<DepositCap>('/api/admin/deposit-cap');
export const putDepositCap = (body: DepositCap): Promise<DepositCap> => apiRequest<DepositCap>('/api/admin/deposit-cap', { method: 'PUT', body });

export function useDepositCap() {
  return useQuery({ queryKey: queryKeys.depositCap, queryFn: getDepositCap });
}

export function useSetDepositCap() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: putDepositCap, onSuccess: (cap) => queryClient.setQueryData(queryKeys.depositCap, cap) });
}
