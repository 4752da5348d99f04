import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { LotDetail } from '../../../../../contract/registry.ts';


export const getLot = (id: string): Promise<LotDetail> => apiRequest<LotDetail>(`/api/lots/${encodeURIComponent(id)}`);

export function useLot(id: string | null) {
  return useQuery({ queryKey: queryKeys.lot(id ?? ''), queryFn: () => getLot(id!), enabled: id !== null });
}
