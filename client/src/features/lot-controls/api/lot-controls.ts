import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { ControlledLot, FreezeBody } from '../../../../../contract/lot-controls.ts';

export const getControlledLots = (): Promise<ControlledLot[]> => apiRequest<ControlledLot[]>('/api/lot-controls', { query: { limit: 500 } });

export function useControlledLots() {
  // Operators and regulators both freeze and unfreeze: a console left open picks up the other's
  // controls within a quarter minute (no socket carries them to the operator).
  return useQuery({ queryKey: queryKeys.lotControls, queryFn: getControlledLots, refetchInterval: 15_000 });
}

export type LotControlRequest =
  | { action: 'freeze'; lotId: string; body: FreezeBody }
  | { action: 'unfreeze'; lotId: string; body: { note: string } }
  | { action: 'revoke'; lotId: string; body: { reason: string } };

export const controlLot = (r: LotControlRequest): Promise<ControlledLot> =>
  apiRequest<ControlledLot>(`/api/lots/${encodeURIComponent(r.lotId)}/${r.action}`, { method: 'POST', body: r.body });

/** Freeze, unfreeze or revoke; the lots, the alerts and every account view refresh after it. */
export function useControlLot() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: controlLot,
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.lotControls }),
        queryClient.invalidateQueries({ queryKey: queryKeys.alerts }),
        queryClient.invalidateQueries({ queryKey: ['admin', 'lots'] }),
      ]);
    },
  });
}
