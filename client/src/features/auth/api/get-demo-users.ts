import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { DemoUser } from '../../../shared/api/types.ts';

/** Only answered in demo mode; a 404 means "not a demo server" and shows nothing. */
export async function getDemoUsers(): Promise<DemoUser[]> {
  try {
    return await apiRequest<DemoUser[]>('/api/demo-users', { skipAuthRedirect: true });
  } catch {
    return [];
  }
}

export function useDemoUsers() {
  return useQuery({ queryKey: queryKeys.demoUsers, queryFn: getDemoUsers, staleTime: Infinity, retry: false });
}
