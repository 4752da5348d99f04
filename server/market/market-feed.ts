import { randomBytes } from 'node:crypto';
import type { Namespace } from 'socket.io';
import type { Redis } from 'ioredis';
import type { DepthView, InstrumentStatusView, TradeView } from './market-bus.ts';
import type { BookMessage, InstrumentMessage, LiveTrade, StreamPositionView, TickerMessage, TradeMessage } from './live-contract.ts';
import type { TickerBoard } from './ticker-board.ts';

export const CHANNELS = ['book', 'trade', 'ticker'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface MarketFeedOptions {
  market: Namespace;
  redis: Redis;
  prefix: string;
  tickers: TickerBoard;
  /** Least time between two flushes of one symbol; trades in between go out together. */
  intervalMs: number;
  tickerIntervalMs: number;
  bookLevels: number;
  onError: (error: unknown) => void;
}

interface SymbolFeed {
  symbol: string;
  trades: LiveTrade[];
  book: DepthView | null;
  instruments: InstrumentStatusView[];
  tickerDirty: boolean;
  scheduled: 'tick' | 'timer' | null;
  timer: NodeJS.Timeout | null;
  tickerTimer: NodeJS.Timeout | null;
  lastFlush: number;
  lastTicker: number;
  lastBookSequence: number | null;
}

/**
 * The /market streams of the symbols whose engine runs on this node. One node owns an
 * instrument's engine at a time, so it alone produces that symbol's streams and numbers them
 * itself, under an epoch that is new each time the node starts: numbering costs no round trip
 * and a message leaves right after its commit. Where each stream stands is mirrored to Redis so
 * that a subscriber on any node learns it with its subscription.
 *
 * Flushing: what a commit changed goes out on the next tick, unless the symbol flushed less than
 * `intervalMs` ago; then it waits for the interval, collecting trades and keeping only the latest
 * book. That bounds messages per client per second whatever the trade rate.
 */
export class MarketFeed {
  readonly epoch = randomBytes(6).toString('base64url');
  private readonly feeds = new Map<string, SymbolFeed>();
  private readonly sequences = new Map<string, number>();
  private closed = false;

  constructor(private readonly o: MarketFeedOptions) {}

  private get positionsKey(): string {
    return `${this.o.prefix}:live:market`;
  }

  trade(trade: LiveTrade, view: TradeView): void {
    this.touch(trade.symbol, (f) => {
      f.trades.push(trade);
      if (this.o.tickers.record(view)) f.tickerDirty = true;
    });
  }

  book(depth: DepthView): void {
    this.touch(depth.symbol, (f) => (f.book = depth));
  }

  instrument(status: InstrumentStatusView): void {
    this.touch(status.symbol, (f) => f.instruments.push(status));
  }

  tickerReady(symbol: string): void {
    this.touch(symbol, (f) => (f.tickerDirty = true));
  }

  /**
   * Where the streams of a symbol stand: this node's own numbers for streams it produces,
   * otherwise what the producing node last mirrored to Redis (sequence 0 when nothing was sent).
   */
  async positions(streams: readonly string[]): Promise<Record<string, StreamPositionView>> {
    const out: Record<string, StreamPositionView> = {};
    const remote = streams.filter((s) => !this.sequences.has(s));
    const mirrored = remote.length > 0 ? await this.o.redis.hmget(this.positionsKey, ...remote) : [];
    for (const stream of streams) {
      const own = this.sequences.get(stream);
      if (own !== undefined) {
        out[stream] = { epoch: this.epoch, sequence: own };
        continue;
      }
      const value = mirrored[remote.indexOf(stream)] ?? null;
      const [epoch, sequence] = value === null ? [this.epoch, '0'] : value.split(' ');
      out[stream] = { epoch: epoch ?? this.epoch, sequence: Number(sequence ?? 0) };
    }
    return out;
  }

  close(): void {
    this.closed = true;
    for (const feed of this.feeds.values()) {
      if (feed.timer) clearTimeout(feed.timer);
      if (feed.tickerTimer) clearTimeout(feed.tickerTimer);
    }
  }

  private touch(symbol: string, mark: (feed: SymbolFeed) => void): void {
    if (this.closed) return;
    let feed = this.feeds.get(symbol);
    if (!feed) {
      feed = { symbol, trades: [], book: null, instruments: [], tickerDirty: false, scheduled: null, timer: null, tickerTimer: null, lastFlush: 0, lastTicker: 0, lastBookSequence: null };
      this.feeds.set(symbol, feed);
    }
    mark(feed);
    this.schedule(feed);
  }

  private schedule(feed: SymbolFeed): void {
    if (feed.scheduled === 'tick') return;
    const wait = feed.lastFlush + this.o.intervalMs - performance.now();
    if (wait <= 0) {
      // Still inside the engine's publish of one commit: everything it raises goes out together,
      // before the answers to that commit's orders are written.
      if (feed.timer) clearTimeout(feed.timer);
      feed.timer = null;
      feed.scheduled = 'tick';
      process.nextTick(() => this.flush(feed));
    } else if (feed.scheduled === null) {
      feed.scheduled = 'timer';
      feed.timer = setTimeout(() => this.flush(feed), wait);
    }
  }

  private next(stream: string): { stream: string; epoch: string; sequence: number } {
    const sequence = (this.sequences.get(stream) ?? 0) + 1;
    this.sequences.set(stream, sequence);
    return { stream, epoch: this.epoch, sequence };
  }

  private flush(feed: SymbolFeed): void {
    feed.scheduled = null;
    feed.timer = null;
    if (this.closed) return;
    const { symbol } = feed;
    const { market } = this.o;
    const mirror: string[] = [];
    feed.lastFlush = performance.now();

    for (const status of feed.instruments) {
      const stamp = this.next(`instrument:${symbol}`);
      market.to(CHANNELS.map((c) => `${c}:${symbol}`)).emit('instrument', { ...stamp, ...status } satisfies InstrumentMessage);
      mirror.push(stamp.stream, `${stamp.epoch} ${stamp.sequence}`);
    }
    feed.instruments = [];
    if (feed.trades.length > 0) {
      const trades = feed.trades;
      feed.trades = [];
      const stamp = this.next(`trade:${symbol}`);
      market.to(`trade:${symbol}`).emit('trade', { ...stamp, symbol, trade: trades[trades.length - 1]!, trades } satisfies TradeMessage);
      mirror.push(stamp.stream, `${stamp.epoch} ${stamp.sequence}`);
    }
    if (feed.book) {
      const depth = feed.book;
      feed.book = null;
      // The engine numbers its book from 0 again after a rebuild: that starts a new chain.
      const prevSequence = feed.lastBookSequence !== null && feed.lastBookSequence < depth.sequence ? feed.lastBookSequence : null;
      feed.lastBookSequence = depth.sequence;
      const top = { ...depth, bids: depth.bids.slice(0, this.o.bookLevels), asks: depth.asks.slice(0, this.o.bookLevels) };
      market.to(`book:${symbol}`).emit('book', { stream: `book:${symbol}`, epoch: this.epoch, prevSequence, ...top } satisfies BookMessage);
    }
    if (feed.tickerDirty) {
      const wait = feed.lastTicker + this.o.tickerIntervalMs - performance.now();
      if (wait > 0) {
        // Tickers go out at most every tickerIntervalMs; trades and books do not wait for them.
        feed.tickerTimer ??= setTimeout(() => {
          feed.tickerTimer = null;
          this.schedule(feed);
        }, wait);
      } else {
        feed.tickerDirty = false; // if the day's totals are still loading, tickerReady() marks it again
        const view = this.o.tickers.view(symbol);
        if (view) {
          feed.lastTicker = performance.now();
          const stamp = this.next(`ticker:${symbol}`);
          market.to(`ticker:${symbol}`).emit('ticker', { ...stamp, ...view } satisfies TickerMessage);
          mirror.push(stamp.stream, `${stamp.epoch} ${stamp.sequence}`);
        }
      }
    }
    if (mirror.length > 0) this.o.redis.hset(this.positionsKey, ...mirror).catch(this.o.onError);
  }
}
