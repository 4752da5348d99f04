import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, downloadFile } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { RegistryAction } from '../../../../../contract/registry.ts';

// Use (核销: a land or wetland indicator consumed against an approved construction project) and
// retirement (注销: carbon credits retired for a beneficiary). Both are irreversible and produce a
// certificate; a repeated requestId returns the first result instead of consuming twice.


export type ConsumeRequest =
  | { kind: 'use'; symbol: string; quantity: string; projectName: string; approvalRef: string; requestId: string }
  | { kind: 'retire'; symbol: string; quantity: string; beneficiary: string; reason: string; requestId: string };

export const getRegistryActions = (): Promise<RegistryAction[]> => apiRequest<RegistryAction[]>('/api/registry/actions');

export function useRegistryActions() {
  return useQuery({ queryKey: queryKeys.registryActions, queryFn: getRegistryActions });
}

export const consumeIndicator = ({ kind, ...body }: ConsumeRequest): Promise<RegistryAction> =>
  apiRequest<RegistryAction>(kind === 'use' ? '/api/registry/uses' : '/api/registry/retirements', { method: 'POST', body });

export function useConsumeIndicator() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: consumeIndicator,
    onSettled: () => {
      for (const queryKey of [queryKeys.account, queryKeys.ownLots, queryKeys.registryActions, queryKeys.ledger]) {
        void queryClient.invalidateQueries({ queryKey });
      }
    },
  });
}

export const downloadRegistryCertificate = (action: RegistryAction): Promise<void> =>
  downloadFile(`/api/registry/actions/${encodeURIComponent(action.id)}/certificate.pdf`, `${action.certificateNo}.pdf`);

export function useDownloadRegistryCertificate() {
  return useMutation({ mutationFn: downloadRegistryCertificate });
}
