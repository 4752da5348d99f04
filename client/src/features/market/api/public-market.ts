import { useQuery } from '@tanstack/react-query';
import type { PublicListings } from '../../../../../contract/public-listings.ts';
import type { PublicDemandListings } from '../../../../../contract/demand-listings.ts';
import type { DailyHistory, PublicMarket } from '../../../../../contract/public-market.ts';
import { apiRequest, buildUrl } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';

// The market anyone may read (no sign-in): today per instrument and daily history.

export function usePublicMarket() {
  return useQuery({
    queryKey: queryKeys.publicMarket,
    queryFn: () => apiRequest<PublicMarket>('/api/public/market', { skipAuthRedirect: true }),
    refetchInterval: 15_000,
  });
}

export interface DayRange {
  from: string;
  to: string;
}

const dailyPath = (symbol: string) => `/api/public/instruments/${encodeURIComponent(symbol)}/daily`;

export function usePublicDaily(symbol: string, range: DayRange) {
  return useQuery({
    queryKey: queryKeys.publicDaily(symbol, range.from, range.to),
    queryFn: () => apiRequest<DailyHistory>(dailyPath(symbol), { query: { ...range }, skipAuthRedirect: true }),
  });
}

/** Where the same history downloads as CSV. */
export const dailyCsvUrl = (symbol: string, range: DayRange): string => buildUrl(`${dailyPath(symbol)}.csv`, { ...range });

export function usePublicListings() {
  return useQuery({
    queryKey: queryKeys.publicListings,
    queryFn: () => apiRequest<PublicListings>('/api/public/listings', { skipAuthRedirect: true }),
    refetchInterval: 30_000,
  });
}

/** Demand listings (需求挂牌) announced to everyone, and their results. */
export function usePublicDemandListings() {
  return useQuery({
    queryKey: queryKeys.publicDemandListings,
    queryFn: () => apiRequest<PublicDemandListings>('/api/public/demand-listings', { skipAuthRedirect: true }),
    refetchInterval: 30_000,
  });
}
