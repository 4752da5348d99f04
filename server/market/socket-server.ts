import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { Server, type Namespace, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { TokenClaims } from '../auth/tokens.ts';
import { accountSnapshot } from '../account/account-snapshot.ts';
import type { DepthView, InstrumentStatusView, MarketEvents, SettlementView, TradeView } from './market-bus.ts';
import { StreamSequencer, type StreamStamp } from './stream-sequencer.ts';
import { TickerBoard } from './ticker-board.ts';
import type {
  AccountMessages,
  BookMessage,
  InstrumentMessage,
  LiveTrade,
  RefusalData,
  RegulatorMessages,
  SubscribeAck,
  TickerMessage,
  TradeMessage,
} from './live-contract.ts';

export interface SocketServer {
  io: Server;
  close(): Promise<void>;
}

export interface LiveOptions {
  /** Least time between two messages of one /market stream; trades in between go out together. */
  marketIntervalMs?: number;
  /** Least time between two ticker messages of one symbol. */
  tickerIntervalMs?: number;
  /** Least time between two balance snapshots of one participant. */
  balanceIntervalMs?: number;
  /** Price levels per side in book messages. */
  bookLevels?: number;
}

const CHANNELS = ['book', 'trade', 'ticker'] as const;
type Channel = (typeof CHANNELS)[number];
const MAX_SYMBOLS_PER_SOCKET = 50;

/** Wall clock in ms with sub-ms precision; comparable across processes of one machine. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

function refusal(statusCode: 401 | 403, code: RefusalData['code'], message: string): Error {
  return Object.assign(new Error(code), { data: { statusCode, code, message } satisfies RefusalData });
}

/** Admits a socket with a valid token of one of `roles`; refuses it with the HTTP API's codes. */
function guard(app: FastifyInstance, nsp: Namespace, roles: Array<TokenClaims['role']>): void {
  nsp.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token === '') {
      next(refusal(401, 'TOKEN_MISSING', 'sign in first: connect with auth: { token }'));
      return;
    }
    let claims: TokenClaims & { exp?: number };
    try {
      claims = app.platform.tokens.verify(token);
    } catch (error) {
      const expired = (error as { code?: string }).code === 'FAST_JWT_EXPIRED';
      next(expired ? refusal(401, 'TOKEN_EXPIRED', 'your session has expired; sign in again') : refusal(401, 'TOKEN_INVALID', 'the token is not valid; sign in again'));
      return;
    }
    if (!roles.includes(claims.role) || (roles.includes('participant') && !claims.participantId)) {
      next(refusal(403, 'FORBIDDEN_ROLE', `the ${nsp.name} stream is for the ${roles.join(' or ')} role; you are signed in as ${claims.role}`));
      return;
    }
    socket.data.claims = claims;
    next();
  });
  nsp.on('connection', (socket) => {
    // A session ends on its own when its token does: the socket is told why, then closed.
    const exp = (socket.data.claims as { exp?: number }).exp;
    if (typeof exp !== 'number') return;
    const timer = setTimeout(
      () => {
        socket.emit('session_expired', { statusCode: 401, code: 'TOKEN_EXPIRED', message: 'your session has expired; sign in again' });
        socket.disconnect(true);
      },
      Math.min(2 ** 31 - 1, Math.max(0, exp * 1000 - Date.now())),
    );
    socket.on('disconnect', () => clearTimeout(timer));
  });
}

/** Runs `fn` after `ms` (on the next turn of the event loop when ms ≤ 0); cancellable. */
function later(ms: number, fn: () => void): { cancel(): void } {
  if (ms > 0) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  }
  const i = setImmediate(fn);
  return { cancel: () => clearImmediate(i) };
}

function parseSubscribe(payload: unknown): { symbol: string; channels: Channel[] } | string {
  if (typeof payload !== 'object' || payload === null) return 'send { symbol, channels? }';
  const { symbol, channels } = payload as { symbol?: unknown; channels?: unknown };
  if (typeof symbol !== 'string' || symbol.length === 0 || symbol.length > 64) return 'symbol must be a string';
  if (channels === undefined) return { symbol, channels: [...CHANNELS] };
  if (!Array.isArray(channels) || channels.length === 0 || !channels.every((c): c is Channel => (CHANNELS as readonly unknown[]).includes(c))) {
    return `channels must be a non-empty list of ${CHANNELS.join(', ')}`;
  }
  return { symbol, channels: [...new Set(channels)] };
}

interface SymbolFeed {
  trades: LiveTrade[];
  book: DepthView | null;
  tickerDirty: boolean;
  timer: { cancel(): void } | null;
  lastFlush: number;
  lastTicker: number;
  lastBookSequence: number | null;
}

/**
 * Live data over socket.io: /market (public; rooms per symbol and channel), /account (a
 * participant's own orders, fills, balances, settlements) and /regulator (everything, plus
 * halts and alerts). Events come from the market bus, which raises them only after the change is
 * committed; each message is numbered on its stream (see live-contract.ts) from counters in
 * Redis, and socket.io's Redis adapter carries it to the subscribers of every node.
 */
export async function attachSocketServer(app: FastifyInstance, config: Config, options: LiveOptions = {}): Promise<SocketServer> {
  const { bus, engine, knex } = app.platform;
  const marketIntervalMs = options.marketIntervalMs ?? 0;
  const tickerIntervalMs = options.tickerIntervalMs ?? 250;
  const balanceIntervalMs = options.balanceIntervalMs ?? 100;
  const bookLevels = options.bookLevels ?? 20;
  const log = app.log.child({ module: 'live' });

  // Adapter: a plain publisher (whose failed publishes must not become unhandled rejections) and
  // a subscriber. Numbering: its own fail-fast connection.
  const pub = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  const sub = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const seqRedis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  for (const c of [pub, sub, seqRedis]) c.on('error', (err: Error) => log.debug({ err }, 'live redis connection error'));
  const publisher = new Proxy(pub, {
    get(target, prop) {
      if (prop === 'publish') {
        return (channel: string, message: string | Buffer) =>
          target.publish(channel, message).catch((err: unknown) => log.warn({ err }, 'live message not published to other nodes'));
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  await Promise.all([pub.status === 'ready' ? null : new Promise((r) => pub.once('ready', r)), seqRedis.status === 'ready' ? null : new Promise((r) => seqRedis.once('ready', r))]);

  const io = new Server(app.server, {
    serveClient: false,
    cors: { origin: false },
    adapter: createAdapter(publisher, sub, { key: `${config.REDIS_PREFIX}:socket.io`, publishOnSpecificResponseChannel: true }),
  });
  const sequencer = new StreamSequencer(seqRedis, config.REDIS_PREFIX, (err) => log.warn({ err }, 'live message not numbered; subscribers will see a gap'));
  const bookEpoch = randomBytes(6).toString('base64url');

  const market = io.of('/market');
  const account = io.of('/account');
  const regulator = io.of('/regulator');
  guard(app, account, ['participant']);
  guard(app, regulator, ['regulator']);
  // Every namespace has subscribed on Redis once the subscriber answers a later command.
  await sub.ping().catch(() => {});

  let closed = false;
  const listeners: Array<[string, (...args: any[]) => void]> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const on = <E extends keyof MarketEvents>(event: E, listener: (...args: MarketEvents[E]) => void): void => {
    bus.on(event, listener as never);
    listeners.push([event, listener as never]);
  };

  // ---- /market ------------------------------------------------------------------------------
  const feeds = new Map<string, SymbolFeed>();
  const feedOf = (symbol: string): SymbolFeed => {
    let feed = feeds.get(symbol);
    if (!feed) {
      feed = { trades: [], book: null, tickerDirty: false, timer: null, lastFlush: 0, lastTicker: 0, lastBookSequence: null };
      feeds.set(symbol, feed);
    }
    return feed;
  };
  const tickers = new TickerBoard(
    knex,
    engine,
    (symbol) => touch(symbol, (f) => (f.tickerDirty = true)),
    (err) => log.warn({ err }, 'ticker totals could not be loaded'),
  );

  /** Marks something pending on a symbol's streams and schedules the flush. */
  function touch(symbol: string, mark: (feed: SymbolFeed) => void): void {
    const feed = feedOf(symbol);
    mark(feed);
    schedule(symbol, feed);
  }
  function schedule(symbol: string, feed: SymbolFeed): void {
    if (feed.timer !== null) return;
    const wait = feed.lastFlush + marketIntervalMs - Date.now();
    feed.timer = later(wait, () => flush(symbol, feed));
  }
  function flush(symbol: string, feed: SymbolFeed): void {
    feed.timer = null;
    feed.lastFlush = Date.now();
    if (feed.trades.length > 0) {
      const trades = feed.trades;
      feed.trades = [];
      sequencer.number(`trade:${symbol}`, (stamp) => {
        market.to(`trade:${symbol}`).emit('trade', { ...stamp, symbol, trade: trades[trades.length - 1]!, trades } satisfies TradeMessage);
      });
    }
    if (feed.book) {
      const depth = feed.book;
      feed.book = null;
      // The engine numbers its book from 0 again after a rebuild: that starts a new chain.
      const prevSequence = feed.lastBookSequence !== null && feed.lastBookSequence < depth.sequence ? feed.lastBookSequence : null;
      feed.lastBookSequence = depth.sequence;
      const message: BookMessage = { stream: `book:${symbol}`, epoch: bookEpoch, prevSequence, ...depth };
      sequencer.plain(() => market.to(`book:${symbol}`).emit('book', message));
    }
    if (feed.tickerDirty) {
      const wait = feed.lastTicker + tickerIntervalMs - Date.now();
      if (wait > 0) {
        feed.timer = later(wait, () => flush(symbol, feed));
      } else {
        feed.tickerDirty = false;
        feed.lastTicker = Date.now();
        const view = tickers.view(symbol);
        if (view) sequencer.number(`ticker:${symbol}`, (stamp) => market.to(`ticker:${symbol}`).emit('ticker', { ...stamp, ...view } satisfies TickerMessage));
      }
    }
  }

  market.on('connection', (socket) => {
    const subscribed = new Set<string>();
    const answer = (ack: unknown, reply: SubscribeAck) => {
      if (typeof ack === 'function') (ack as (r: SubscribeAck) => void)(reply);
      else if (!reply.ok) socket.emit('subscribe_error', reply);
    };
    socket.on('subscribe', async (payload: unknown, ack?: unknown) => {
      const request = parseSubscribe(payload);
      if (typeof request === 'string') return answer(ack, { ok: false, code: 'BAD_REQUEST', message: request });
      const { symbol, channels } = request;
      const book = engine.depth(symbol, bookLevels);
      if (!engine.spec(symbol) || !book) return answer(ack, { ok: false, code: 'UNKNOWN_SYMBOL', message: `no instrument ${symbol}` });
      if (!subscribed.has(symbol) && subscribed.size >= MAX_SYMBOLS_PER_SOCKET) {
        return answer(ack, { ok: false, code: 'TOO_MANY_SUBSCRIPTIONS', message: `at most ${MAX_SYMBOLS_PER_SOCKET} symbols per connection` });
      }
      subscribed.add(symbol);
      // Join first, then read where the streams stand: every message numbered after that read
      // reaches this socket, and everything before it is in a REST snapshot loaded after the ack.
      await socket.join(channels.map((c) => `${c}:${symbol}`));
      const numbered = [`instrument:${symbol}`, ...channels.filter((c) => c !== 'book').map((c) => `${c}:${symbol}`)];
      const streams = await sequencer.positions(numbered).catch(() => ({}));
      answer(ack, { ok: true, symbol, book, streams: { ...streams, [`book:${symbol}`]: { epoch: bookEpoch, sequence: book.sequence } } });
    });
    socket.on('unsubscribe', async (payload: unknown, ack?: unknown) => {
      const symbol = (payload as { symbol?: unknown } | null)?.symbol;
      if (typeof symbol === 'string') {
        subscribed.delete(symbol);
        for (const c of CHANNELS) await socket.leave(`${c}:${symbol}`);
      }
      if (typeof ack === 'function') (ack as (r: unknown) => void)({ ok: true });
    });
  });

  on('book', (depth) => touch(depth.symbol, (f) => (f.book = { ...depth, bids: depth.bids.slice(0, bookLevels), asks: depth.asks.slice(0, bookLevels) })));

  // ---- /account and /regulator ----------------------------------------------------------------
  const accountStream = (participantId: string) => `account:${participantId}`;
  function toParticipant<E extends keyof AccountMessages>(participantId: string, event: E, body: (stamp: StreamStamp) => AccountMessages[E], once?: string): void {
    const stream = accountStream(participantId);
    sequencer.number(stream, (stamp) => account.to(`p:${participantId}`).emit(event, body(stamp)), once && `${once}:${stream}`);
  }
  function toRegulators<E extends keyof RegulatorMessages>(event: E, body: (stamp: StreamStamp) => RegulatorMessages[E], once?: string): void {
    sequencer.number('regulator', (stamp) => regulator.emit(event, body(stamp)), once && `${once}:regulator`);
  }
  const ready = (socket: Socket, stream: string) =>
    sequencer
      .positions([stream])
      .then((streams) => socket.emit('ready', { streams }))
      .catch(() => {});
  account.on('connection', (socket) => {
    const claims = socket.data.claims as TokenClaims;
    const stream = accountStream(claims.participantId!);
    void socket.join(`p:${claims.participantId}`);
    void ready(socket, stream);
    socket.on('subscribe', (_payload: unknown, ack?: unknown) => {
      void sequencer.positions([stream]).then((streams) => typeof ack === 'function' && (ack as (r: unknown) => void)({ ok: true, streams }));
    });
  });
  regulator.on('connection', (socket) => {
    void ready(socket, 'regulator');
    socket.on('subscribe', (_payload: unknown, ack?: unknown) => {
      void sequencer.positions(['regulator']).then((streams) => typeof ack === 'function' && (ack as (r: unknown) => void)({ ok: true, streams }));
    });
  });

  on('trade', (view: TradeView, parties) => {
    const trade: LiveTrade = { ...view, committedAt: preciseNow() };
    touch(trade.symbol, (f) => {
      f.trades.push(trade);
      if (tickers.record(view)) f.tickerDirty = true;
    });
    toRegulators('trade', (stamp) => ({ ...stamp, trade: { ...trade, ...parties } }));
    toParticipant(parties.buyerId, 'fill', (stamp) => ({ ...stamp, fill: { ...trade, side: 'buy' } }));
    toParticipant(parties.sellerId, 'fill', (stamp) => ({ ...stamp, fill: { ...trade, side: 'sell' } }));
  });
  on('order', (participantId, order) => {
    toParticipant(participantId, 'order', (stamp) => ({ ...stamp, order }));
    toRegulators('order', (stamp) => ({ ...stamp, order: { ...order, participantId } }));
  });
  on('instrument', (status: InstrumentStatusView, actor, reason) => {
    const symbol = status.symbol;
    sequencer.number(`instrument:${symbol}`, (stamp) =>
      market.to(CHANNELS.map((c) => `${c}:${symbol}`)).emit('instrument', { ...stamp, ...status } satisfies InstrumentMessage),
    );
    const at = new Date().toISOString();
    toRegulators('halt', (stamp) => ({ ...stamp, ...status, actor, reason, at }));
  });
  // Every node hears every settlement (BullMQ queue events): the first to claim it sends it.
  on('settlement', (settlement: SettlementView) => {
    const once = `settlement:${settlement.tradeId}:${settlement.status}`;
    toParticipant(settlement.buyerId, 'settlement', (stamp) => ({ ...stamp, settlement }), once);
    if (settlement.sellerId !== settlement.buyerId) toParticipant(settlement.sellerId, 'settlement', (stamp) => ({ ...stamp, settlement }), once);
    toRegulators('settlement', (stamp) => ({ ...stamp, settlement }), once);
  });
  // Alerts come from surveillance when it raises them on the bus; forwarded as they are.
  const onAlert = (alert: unknown) => toRegulators('alert', (stamp) => ({ ...stamp, alert }));
  (bus as unknown as EventEmitter).on('alert', onAlert);
  listeners.push(['alert', onAlert]);

  // Balances: a snapshot read from PostgreSQL, at most one per participant per interval, always
  // read after the change that asked for it.
  const balances = new Map<string, { running: boolean; dirty: boolean; timer: NodeJS.Timeout | null }>();
  const refreshBalance = (participantId: string): void => {
    if (closed) return;
    let state = balances.get(participantId);
    if (!state) balances.set(participantId, (state = { running: false, dirty: false, timer: null }));
    if (state.running || state.timer) {
      state.dirty = true;
      return;
    }
    const s = state;
    s.running = true;
    s.dirty = false;
    accountSnapshot(knex, engine, participantId)
      .then((balance) => toParticipant(participantId, 'balance', (stamp) => ({ ...stamp, balance })))
      .catch((err: unknown) => log.warn({ err }, 'balance snapshot failed'))
      .finally(() => {
        s.running = false;
        if (closed) return;
        s.timer = setTimeout(() => {
          s.timer = null;
          if (s.dirty) refreshBalance(participantId);
          else balances.delete(participantId);
        }, balanceIntervalMs);
      });
  };
  on('balance', refreshBalance);

  return {
    io,
    async close() {
      closed = true;
      for (const [event, listener] of listeners) (bus as unknown as EventEmitter).off(event, listener);
      for (const feed of feeds.values()) feed.timer?.cancel();
      for (const state of balances.values()) if (state.timer) clearTimeout(state.timer);
      await sequencer.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      for (const c of [pub, sub, seqRedis]) c.disconnect();
    },
  };
}
