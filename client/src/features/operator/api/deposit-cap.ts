import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

/** The largest single deposit the platform accepts; null when no cap is set. */
export interface DepositCap {
  maxAmount: string | null;
}

export const getDepositCap = (): Promise<DepositCap> => apiRequest<DepositCap>('/api/admin/deposit-cap');
export const putDepositCap = (body: DepositCap): Promise<DepositCap> => apiRequest<DepositCap>('/api/admin/deposit-cap', { method: 'PUT', body });

export function useDepositCap() {
  return useQuery({ queryKey: queryKeys.depositCap, queryFn: getDepositCap });
}

export function useSetDepositCap() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: putDepositCap, onSuccess: (cap) => queryClient.setQueryData(queryKeys.depositCap, cap) });
}
