import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { HolderLotControl } from '../../../../../contract/lot-controls.ts';

export const getOwnLotControls = (): Promise<HolderLotControl[]> => apiRequest<HolderLotControl[]>('/api/account/lot-controls');

/** Freezes locking the participant's quantity and revocations that removed it; refreshed with the account. */
export function useOwnLotControls() {
  return useQuery({ queryKey: queryKeys.ownLotControls, queryFn: getOwnLotControls });
}
