import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import { useLiveStream, type LiveStatus } from '../../../shared/socket/live-stream.ts';
import type { Listing, ListingMessage } from './types.ts';

const FINAL_CHANGES = new Set(['created', 'awarded', 'failed', 'cancelled']);

/**
 * Keeps the listing board and the open listing screens live. Board changes arrive on /market per
 * symbol (stream `listing:SYMBOL`) as the public view: it replaces the cached listing at once,
 * keeping the caller's own part (`me`), which is then reloaded with the bids. A sequence gap or
 * a reconnect reloads everything.
 */
export function useListingLive(symbols: readonly string[]): LiveStatus {
  const queryClient = useQueryClient();
  const symbolsKey = [...new Set(symbols)].sort().join(',');
  const stableSymbols = useMemo(() => (symbolsKey ? symbolsKey.split(',') : []), [symbolsKey]);

  return useLiveStream({
    namespace: '/market',
    symbols: stableSymbols,
    enabled: stableSymbols.length > 0,
    handlers: {
      listing: (message: ListingMessage) => {
        const incoming = message.listing;
        if (!incoming?.id) return;
        const merge = (prev: Listing): Listing => ({ ...incoming, me: prev.me });
        queryClient.setQueriesData<Listing[]>({ queryKey: queryKeys.listings }, (prev) => prev?.map((l) => (l.id === incoming.id ? merge(l) : l)));
        queryClient.setQueryData<Listing>(queryKeys.listing(incoming.id), (prev) => (prev ? merge(prev) : prev));
        // New listings and results change which board a listing belongs on.
        if (FINAL_CHANGES.has(message.change)) void queryClient.invalidateQueries({ queryKey: queryKeys.listings });
        void queryClient.invalidateQueries({ queryKey: queryKeys.listing(incoming.id) });
      },
    },
    onResync: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.listings });
      void queryClient.invalidateQueries({ queryKey: queryKeys.listingAll });
    },
  });
}
