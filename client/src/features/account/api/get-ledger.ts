import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { LedgerPosting } from '../../../shared/api/types.ts';

export const getLedger = (): Promise<LedgerPosting[]> => apiRequest<LedgerPosting[]>('/api/account/ledger');

export function useLedger() {
  return useQuery({ queryKey: queryKeys.ledger, queryFn: getLedger });
}
