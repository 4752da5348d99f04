import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Block, Counterparty, ProposeBlockBody } from '../../../../../contract/blocks.ts';

/** The caller's block trades, newest first (all of them for the regulator and the operator). */
export const getBlocks = (): Promise<Block[]> => apiRequest<Block[]>('/api/blocks', { query: { limit: 100 } });

export function useBlocks(enabled = true) {
  return useQuery({ queryKey: queryKeys.blocks, queryFn: getBlocks, enabled });
}

/** Active participants a block trade can be proposed to. */
export const getCounterparties = (): Promise<Counterparty[]> => apiRequest<Counterparty[]>('/api/blocks/counterparties');

export function useCounterparties() {
  return useQuery({ queryKey: queryKeys.blockCounterparties, queryFn: getCounterparties, staleTime: 60_000 });
}

/** Proposes a block trade; the proposer's side (cash or quantity) is locked until it ends. */
export const proposeBlock = (request: ProposeBlockBody): Promise<Block> => apiRequest<Block>('/api/blocks', { method: 'POST', body: request });

export type BlockDecision = 'confirm' | 'reject' | 'cancel';

/** Confirm or reject (the counterparty), or withdraw (the proposer). */
export const decideBlock = ({ id, decision, reason }: { id: string; decision: BlockDecision; reason?: string }): Promise<Block> =>
  apiRequest<Block>(`/api/blocks/${encodeURIComponent(id)}/${decision}`, { method: 'POST', body: decision === 'confirm' ? undefined : reason ? { reason } : {} });

/** Both change what is locked, and a confirmation makes a trade. */
function useBlockMutation<A>(fn: (args: A) => Promise<Block>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      for (const key of [queryKeys.blocks, queryKeys.account, queryKeys.accountTrades]) void queryClient.invalidateQueries({ queryKey: key });
    },
  });
}

export const useProposeBlock = () => useBlockMutation(proposeBlock);
export const useDecideBlock = () => useBlockMutation(decideBlock);
