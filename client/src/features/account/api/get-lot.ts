import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

/** A verified lot with its current holders and its full chain of movements (GET /api/lots/:id). */
export interface LotDetail {
  id: string;
  symbol: string;
  quantity: string;
  unit: string;
  holder: string;
  region: string;
  sourceProject: string;
  verificationRef: string;
  vintage: number;
  createdAt: string;
  holdings: { participant: string; quantity: string }[];
  movements: {
    id: string;
    kind: string;
    from: string | null;
    to: string | null;
    quantity: string;
    tradeId: string | null;
    registryActionId: string | null;
    at: string;
  }[];
}

export const getLot = (id: string): Promise<LotDetail> => apiRequest<LotDetail>(`/api/lots/${encodeURIComponent(id)}`);

export function useLot(id: string | null) {
  return useQuery({ queryKey: queryKeys.lot(id ?? ''), queryFn: () => getLot(id!), enabled: id !== null });
}
