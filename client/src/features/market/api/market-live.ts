import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Book, Instrument, PublicTrade } from '../../../shared/api/types.ts';
import { useLiveStream, type LiveStatus } from '../../../shared/socket/live-stream.ts';
import { dec } from '../../../shared/format/decimal.ts';
import { TAPE_LENGTH } from './get-trades.ts';

type BookEvent = Book;
/** A trade as the live stream sends it: no venue means the order book. */
type LiveTrade = Omit<PublicTrade, 'venue'> & { venue?: PublicTrade['venue'] };
interface TradeEvent {
  symbol: string;
  sequence: number;
  trade: LiveTrade;
  /** Every trade since the previous message, oldest first (trades are batched under load). */
  trades?: LiveTrade[];
}
interface TickerEvent {
  symbol: string;
  sequence: number;
  lastPrice: string | null;
  changePct: string | null;
  dayVolume: string;
  dayValue: string;
  dayTrades: number;
}
interface InstrumentEvent extends Partial<Instrument> {
  symbol: string;
  sequence: number;
}

/**
 * Keeps the market queries of the given symbols live: book snapshots replace the cached book,
 * trades are prepended to the tape, ticker/status changes are merged into the instrument list.
 * A sequence gap or a reconnect reloads the REST snapshots.
 */
export function useMarketLive(symbols: readonly string[]): LiveStatus {
  const queryClient = useQueryClient();
  const candleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const symbolsKey = symbols.join(',');
  const stableSymbols = useMemo(() => (symbolsKey ? symbolsKey.split(',').sort() : []), [symbolsKey]);

  const refreshCandlesSoon = (symbol: string) => {
    if (candleTimer.current) return;
    candleTimer.current = setTimeout(() => {
      candleTimer.current = null;
      void queryClient.invalidateQueries({ queryKey: queryKeys.candlesAll(symbol) });
    }, 1_000);
  };

  return useLiveStream({
    namespace: '/market',
    symbols: stableSymbols,
    snapshotEvents: ['book'],
    onSubscribed: (symbol, ack) => {
      const book = (ack as { ok?: boolean; book?: Book } | undefined)?.book;
      if (book && Array.isArray(book.bids)) {
        queryClient.setQueryData<Book>(queryKeys.book(symbol), (prev) => (prev && prev.sequence > book.sequence ? prev : book));
      }
    },
    enabled: stableSymbols.length > 0,
    handlers: {
      book: (book: BookEvent) => {
        queryClient.setQueryData<Book>(queryKeys.book(book.symbol), (prev) =>
          prev && prev.sequence > book.sequence ? prev : { symbol: book.symbol, sequence: book.sequence, bids: book.bids, asks: book.asks },
        );
      },
      trade: (event: TradeEvent) => {
        const { symbol, trade } = event;
        const incoming = event.trades && event.trades.length > 0 ? event.trades : [trade];
        queryClient.setQueryData<PublicTrade[]>(queryKeys.trades(symbol), (prev) => {
          const list = prev ?? [];
          const known = new Set(list.map((t) => String(t.id)));
          const fresh = incoming
            .filter((t) => !known.has(String(t.id)))
            .map(({ id, price, quantity, aggressorSide, executedAt, venue }) => ({ id, price, quantity, aggressorSide, executedAt, venue: venue ?? 'book' }));
          if (fresh.length === 0) return list;
          return [...fresh.reverse(), ...list].slice(0, TAPE_LENGTH);
        });
        // Off-book prints (blocks, listing awards) join the tape but never move the last price or the candles.
        if ((trade.venue ?? 'book') !== 'book') return;
        queryClient.setQueryData<Instrument[]>(queryKeys.instruments, (prev) =>
          prev?.map((i) =>
            i.symbol === symbol
              ? { ...i, lastPrice: trade.price, changePct: dec(trade.price).dividedBy(i.referencePrice).minus(1).times(100).toFixed(2) }
              : i,
          ),
        );
        refreshCandlesSoon(symbol);
      },
      // Day volume, value and trade count arrive with the ticker; no refetch (which could race a halt).
      ticker: (event: TickerEvent) => {
        const { symbol, lastPrice, changePct, dayVolume, dayValue, dayTrades } = event;
        queryClient.setQueryData<Instrument[]>(queryKeys.instruments, (prev) =>
          prev?.map((i) => (i.symbol === symbol ? { ...i, lastPrice, changePct, dayVolume, dayValue, dayTrades } : i)),
        );
      },
      instrument: (event: InstrumentEvent) => {
        // Only the instrument's own fields: the stream stamps (stream, epoch, sequence) are not.
        const patch: Partial<Instrument> = {};
        if (event.status !== undefined) patch.status = event.status;
        if (event.haltReason !== undefined) patch.haltReason = event.haltReason;
        if (event.lastPrice !== undefined) patch.lastPrice = event.lastPrice;
        queryClient.setQueryData<Instrument[]>(queryKeys.instruments, (prev) =>
          prev?.map((i) => (i.symbol === event.symbol ? { ...i, ...patch } : i)),
        );
      },
    },
    onResync: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.instruments });
      for (const symbol of stableSymbols) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.book(symbol) });
        void queryClient.invalidateQueries({ queryKey: queryKeys.trades(symbol) });
      }
    },
  });
}
