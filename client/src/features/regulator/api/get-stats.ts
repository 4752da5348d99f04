import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { RegulatorStats } from '../../../../../contract/regulator.ts';

export const getStats = (): Promise<RegulatorStats> => apiRequest<RegulatorStats>('/api/regulator/stats');

export function useRegulatorStats() {
  return useQuery({ queryKey: queryKeys.regulatorStats, queryFn: getStats, refetchInterval: 30_000 });
}
