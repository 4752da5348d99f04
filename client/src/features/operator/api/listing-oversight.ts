import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

/** One time a regulator broke the glass of a sealed listing. */
export interface BreakGlassEntry {
  id: string;
  listingId: string;
  regulator: string;
  reason: string;
  at: string;
  symbol: string;
  title: string;
  listingStatus: string;
  stillSealed: boolean;
}

export interface ListingMinimums {
  registrationWorkingDays: number;
  biddingWorkingDays: number;
}

export const getBreakGlassLog = (): Promise<BreakGlassEntry[]> => apiRequest<BreakGlassEntry[]>('/api/admin/break-glass');

export const setListingMinimums = ({ symbol, ...body }: ListingMinimums & { symbol: string }) =>
  apiRequest<ListingMinimums & { symbol: string }>(`/api/admin/instruments/${encodeURIComponent(symbol)}/listing-minimums`, { method: 'PUT', body });

export function useBreakGlassLog() {
  return useQuery({ queryKey: queryKeys.breakGlass, queryFn: getBreakGlassLog, refetchInterval: 30_000 });
}

export function useSetListingMinimums() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: setListingMinimums, onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.instruments }) });
}

export interface ListingSettings {
  symbol: string;
  relistStepPct: string;
  resultsWorkingDays: number;
}

const settingsPath = (symbol: string) => `/api/admin/instruments/${encodeURIComponent(symbol)}/listing-settings`;

/** An instrument's relist step and results-board days (issue 15). */
export function useListingSettings(symbol: string) {
  return useQuery({ queryKey: ['admin', 'listing-settings', symbol], queryFn: () => apiRequest<ListingSettings>(settingsPath(symbol)), enabled: symbol !== '' });
}

export function useSetListingSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ symbol, ...body }: ListingSettings) => apiRequest<ListingSettings>(settingsPath(symbol), { method: 'PUT', body }),
    onSuccess: (data) => queryClient.invalidateQueries({ queryKey: ['admin', 'listing-settings', data.symbol] }),
  });
}
