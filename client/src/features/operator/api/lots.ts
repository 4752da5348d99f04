import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { IndicatorLot } from '../../../shared/api/types.ts';

export const getParticipantLots = (participantId: string): Promise<IndicatorLot[]> =>
  apiRequest<IndicatorLot[]>('/api/admin/lots', { query: { participantId } });

export function useParticipantLots(participantId: string) {
  return useQuery({
    queryKey: queryKeys.adminLots(participantId),
    queryFn: () => getParticipantLots(participantId),
    enabled: participantId !== '',
  });
}

