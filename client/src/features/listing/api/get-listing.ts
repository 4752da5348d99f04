import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Listing } from './types.ts';

export const getListing = (id: string): Promise<Listing> => apiRequest<Listing>(`/api/listings/${encodeURIComponent(id)}`);

export function useListing(id: string) {
  return useQuery({ queryKey: queryKeys.listing(id), queryFn: () => getListing(id) });
}
