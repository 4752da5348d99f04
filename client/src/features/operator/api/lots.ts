import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { IndicatorLot, IndicatorType } from '../../../shared/api/types.ts';

export const getParticipantLots = (participantId: string): Promise<IndicatorLot[]> =>
  apiRequest<IndicatorLot[]>('/api/admin/lots', { query: { participantId } });

export function useParticipantLots(participantId: string) {
  return useQuery({
    queryKey: queryKeys.adminLots(participantId),
    queryFn: () => getParticipantLots(participantId),
    enabled: participantId !== '',
  });
}

export interface RegisterLotRequest {
  participantId: number | string;
  indicatorType: IndicatorType;
  symbol: string;
  quantity: string;
  region: string;
  sourceProject: string;
  verificationRef: string;
  vintage: number | string;
  attributes: Record<string, string | number>;
}

export const registerLot = (body: RegisterLotRequest): Promise<IndicatorLot | { lot: IndicatorLot }> =>
  apiRequest<IndicatorLot | { lot: IndicatorLot }>('/api/admin/lots', { method: 'POST', body });

export function useRegisterLot() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: registerLot,
    onSuccess: (_d, req) => queryClient.invalidateQueries({ queryKey: queryKeys.adminLots(String(req.participantId)) }),
  });
}
