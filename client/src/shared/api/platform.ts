import { useQuery } from '@tanstack/react-query';
import { apiRequest } from './client.ts';
import { queryKeys } from './query-keys.ts';
import type { PlatformInfo } from '../../../../contract/setup.ts';

/** What kind of platform this is: a demo (banner on every screen) or one waiting for its first operator. */
export const getPlatformInfo = (): Promise<PlatformInfo> => apiRequest<PlatformInfo>('/api/platform', { skipAuthRedirect: true });

export function usePlatformInfo() {
  return useQuery({ queryKey: queryKeys.platform, queryFn: getPlatformInfo, staleTime: Infinity });
}
