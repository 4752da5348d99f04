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
  /** Least time between two trade messages of a symbol; trades in between go out together. */
  tradeIntervalMs: number;
  /** Least time between two book snapshots of a symbol; only the latest is sent. */
  bookIntervalMs: number;
  /** Least time between two ticker messages of a symbol. */
  tickerIntervalMs: number;
  bookLevels: number;
  onError: (error: unknown) => void;
}

type Lane = 'trade' | 'book' | 'ticker' | 'instrument';
const LANES: readonly Lane[] = ['instrument', 'trade', 'book', 'ticker'];

interface LaneState {
  scheduled: 'tick' | 'timer' | null;
  timer: NodeJS.Timeout | null;
  last: number;
}

interface SymbolFeed {
  symbol: string;
  trades: LiveTrade[];
  book: DepthView | null;
  instruments: InstrumentStatusView[];
  tickerDirty: boolean;
  lanes: Record<Lane, LaneState>;
  lastBookSequence: number | null;
}

/**
 * The /market streams of the symbols whose engine runs on this node. One node owns an
 * instrument's engine at a time, so it alone produces that symbol's streams and numbers them
 * itself, under an epoch that is new each time the node starts: numbering costs no round trip
 * and a message leaves right after its commit. Where each stream stands is mirrored to Redis so
 * that a subscriber on any node learns it with its subscription.
 *
 * Flushing, per symbol and stream: what a commit changed goes out at once (see flushDue), unless
 * that stream sent less than its interval ago; then it waits for the interval, collecting trades
 * and keeping only the latest book. Messages per client per second are bounded whatever the
 * trade rate: trades by tradeIntervalMs, books by bookIntervalMs (a snapshot conflates), tickers
 * by tickerIntervalMs. Halts and resumes never wait.
 */
export class MarketFeed {
  readonly epoch = randomBytes(6).toString('base64url');
  private readonly feeds = new Map<string, SymbolFeed>();
  private readonly sequences = new Map<string, number>();
  private readonly due = new Set<[SymbolFeed, Lane]>();
  private readonly intervals: Record<Lane, number>;
  private mirror: string[] = [];
  private closed = false;

  constructor(private readonly o: MarketFeedOptions) {
    this.intervals = { trade: o.tradeIntervalMs, book: o.bookIntervalMs, ticker: o.tickerIntervalMs, instrument: 0 };
  }

  private get positionsKey(): string {
    return `${this.o.prefix}:live:market`;
  }

  trade(trade: LiveTrade, view: TradeView): void {
    const feed = this.feedOf(trade.symbol);
    if (!feed) return;
    feed.trades.push(trade);
    this.schedule(feed, 'trade');
    if (this.o.tickers.record(view)) this.tickerReady(trade.symbol);
  }

  book(depth: DepthView): void {
    const feed = this.feedOf(depth.symbol);
    if (!feed) return;
    feed.book = depth;
    this.schedule(feed, 'book');
  }

  instrument(status: InstrumentStatusView): void {
    const feed = this.feedOf(status.symbol);
    if (!feed) return;
    feed.instruments.push(status);
    this.schedule(feed, 'instrument');
  }

  tickerReady(symbol: string): void {
    const feed = this.feedOf(symbol);
    if (!feed) return;
    feed.tickerDirty = true;
    this.schedule(feed, 'ticker');
  }

  /**
   * Sends now what is due on the next tick. Called when the engine has finished raising the
   * events of one commit: the answers to that commit's orders are already queued as promise
   * continuations, and a busy batch has many; sending first keeps them out of the latency.
   */
  flushDue(): void {
    const due = [...this.due];
    this.due.clear();
    for (const [feed, lane] of due) if (feed.lanes[lane].scheduled === 'tick') this.flush(feed, lane);
    this.writeMirror();
  }

  /**
   * Where the given streams stand: this node's own numbers for streams it produces, otherwise
   * what the producing node last mirrored to Redis (sequence 0 when nothing was sent).
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
    for (const feed of this.feeds.values()) for (const lane of LANES) if (feed.lanes[lane].timer) clearTimeout(feed.lanes[lane].timer!);
  }

  private feedOf(symbol: string): SymbolFeed | undefined {
    if (this.closed) return undefined;
    let feed = this.feeds.get(symbol);
    if (!feed) {
      const lane = (): LaneState => ({ scheduled: null, timer: null, last: -Infinity });
      feed = { symbol, trades: [], book: null, instruments: [], tickerDirty: false, lanes: { trade: lane(), book: lane(), ticker: lane(), instrument: lane() }, lastBookSequence: null };
      this.feeds.set(symbol, feed);
    }
    return feed;
  }

  private schedule(feed: SymbolFeed, lane: Lane): void {
    const state = feed.lanes[lane];
    if (state.scheduled === 'tick') return;
    const wait = state.last + this.intervals[lane] - performance.now();
    if (wait <= 0) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = null;
      state.scheduled = 'tick';
      this.due.add([feed, lane]);
      process.nextTick(() => {
        if (state.scheduled !== 'tick') return;
        this.flush(feed, lane);
        this.writeMirror();
      });
    } else if (state.scheduled === null) {
      state.scheduled = 'timer';
      state.timer = setTimeout(() => {
        this.flush(feed, lane);
        this.writeMirror();
      }, wait);
    }
  }

  private next(stream: string): { stream: string; epoch: string; sequence: number } {
    const sequence = (this.sequences.get(stream) ?? 0) + 1;
    this.sequences.set(stream, sequence);
    this.mirror.push(stream, `${this.epoch} ${sequence}`);
    return { stream, epoch: this.epoch, sequence };
  }

  private writeMirror(): void {
    if (this.mirror.length === 0) return;
    const fields = this.mirror;
    this.mirror = [];
    this.o.redis.hset(this.positionsKey, ...fields).catch(this.o.onError);
  }

  private flush(feed: SymbolFeed, lane: Lane): void {
    const state = feed.lanes[lane];
    state.scheduled = null;
    state.timer = null;
    if (this.closed) return;
    const { symbol } = feed;
    const { market } = this.o;
    switch (lane) {
      case 'instrument': {
        for (const status of feed.instruments) {
          const stamp = this.next(`instrument:${symbol}`);
          market.to(CHANNELS.map((c) => `${c}:${symbol}`)).emit('instrument', { ...stamp, ...status } satisfies InstrumentMessage);
        }
        feed.instruments = [];
        break;
      }
      case 'trade': {
        if (feed.trades.length === 0) return;
        const trades = feed.trades;
        feed.trades = [];
        const stamp = this.next(`trade:${symbol}`);
        market.to(`trade:${symbol}`).emit('trade', { ...stamp, symbol, trade: trades[trades.length - 1]!, trades } satisfies TradeMessage);
        break;
      }
      case 'book': {
        const depth = feed.book;
        if (!depth) return;
        feed.book = null;
        // The engine numbers its book from 0 again after a rebuild: that starts a new chain.
        const prevSequence = feed.lastBookSequence !== null && feed.lastBookSequence < depth.sequence ? feed.lastBookSequence : null;
        feed.lastBookSequence = depth.sequence;
        const top = { ...depth, bids: depth.bids.slice(0, this.o.bookLevels), asks: depth.asks.slice(0, this.o.bookLevels) };
        market.to(`book:${symbol}`).emit('book', { stream: `book:${symbol}`, epoch: this.epoch, prevSequence, ...top } satisfies BookMessage);
        break;
      }
      case 'ticker': {
        if (!feed.tickerDirty) return;
        feed.tickerDirty = false;
        const view = this.o.tickers.view(symbol);
        if (!view) return; // the day's totals are still loading; tickerReady() comes when they are
        const stamp = this.next(`ticker:${symbol}`);
        market.to(`ticker:${symbol}`).emit('ticker', { ...stamp, ...view } satisfies TickerMessage);
        break;
      }
    }
    state.last = performance.now();
  }
}
