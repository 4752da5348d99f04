import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { LockLine } from '../../../../../contract/account.ts';

export const getLocks = (): Promise<LockLine[]> => apiRequest<LockLine[]>('/api/account/locks');

export function useLocks() {
  return useQuery({ queryKey: queryKeys.accountLocks, queryFn: getLocks });
}
