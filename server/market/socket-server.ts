import type { FastifyInstance } from 'fastify';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Config } from '../config.ts';
import { createLivePublisherRedis, createLiveSequencerRedis, createSubscriberRedis } from '../infra/redis.ts';
import { waitAtMost } from '../shared/wait-at-most.ts';
import type { AuthUser } from '../auth/auth-context.ts';
import { guardNamespace } from './socket-sessions.ts';
import { accountSnapshots } from '../account/account-snapshot.ts';
import { BalanceFeed } from './balance-feed.ts';
import type { InstrumentStatusView, MarketEvents, SettlementView, TradeView } from './market-bus.ts';
import { StreamSequencer } from './stream-sequencer.ts';
import { TickerBoard } from './ticker-board.ts';
import { CHANNELS, MarketFeed, type Channel } from './market-feed.ts';
import type {
  AccountMessages,
  LiveTrade,
  RegulatorMessages,
  StreamStampFields,
  SubscribeAck,
} from './live-contract.ts';

export interface SocketServer {
  io: Server;
  close(): Promise<void>;
}

export interface LiveOptions {
  /** Least time between two trade messages of one symbol; trades in between go out together. */
  tradeIntervalMs?: number;
  /** Least time between two book snapshots of one symbol (the latest one is sent). */
  bookIntervalMs?: number;
  /** Least time between two ticker messages of one symbol. */
  tickerIntervalMs?: number;
  /** Least time between two balance snapshots of one participant. */
  balanceIntervalMs?: number;
  /** Price levels per side in book messages. */
  bookLevels?: number;
}

const MAX_SYMBOLS_PER_SOCKET = 50;

/** Wall clock in ms with sub-ms precision; comparable across processes of one machine. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

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

/**
 * Live data over socket.io: /market (public; rooms per symbol and channel), /account (a
 * participant's own orders, fills, balances, settlements) and /regulator (everything, plus
 * halts and alerts). Events come from the market bus, which raises them only after the change is
 * committed; each message is numbered on its stream (see live-contract.ts): /market streams by
 * the node that owns the instrument's engine (market-feed.ts), /account and /regulator streams,
 * which several nodes feed, from counters in Redis (stream-sequencer.ts). socket.io's Redis
 * adapter carries every message to the subscribers of every node.
 */
export async function attachSocketServer(app: FastifyInstance, config: Config, options: LiveOptions = {}): Promise<SocketServer> {
  const { bus, engine, instruments, knex } = app.platform;
  const tradeIntervalMs = options.tradeIntervalMs ?? config.LIVE_TRADE_INTERVAL_MS;
  const bookIntervalMs = options.bookIntervalMs ?? config.LIVE_BOOK_INTERVAL_MS;
  const tickerIntervalMs = options.tickerIntervalMs ?? 250;
  const balanceIntervalMs = options.balanceIntervalMs ?? 100;
  const bookLevels = options.bookLevels ?? 20;
  const log = app.log.child({ module: 'live' });

  // Adapter: a plain publisher (whose failed publishes must not become unhandled rejections) and
  // a subscriber. Numbering: its own fail-fast connection.
  const pub = createLivePublisherRedis(config.REDIS_URL);
  const sub = createSubscriberRedis(config.REDIS_URL);
  const seqRedis = createLiveSequencerRedis(config.REDIS_URL);
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
  // Start-up waits for Redis a little (so the first messages are not lost), never for ever: with
  // Redis away the node serves HTTP, and live clients see gaps and reload once it is back.
  await waitAtMost(5_000, Promise.all([pub.status === 'ready' ? null : new Promise((r) => pub.once('ready', r)), seqRedis.status === 'ready' ? null : new Promise((r) => seqRedis.once('ready', r))]));

  const io = new Server(app.server, {
    serveClient: false,
    cors: { origin: false },
    adapter: createAdapter(publisher, sub, { key: `${config.REDIS_PREFIX}:socket.io`, publishOnSpecificResponseChannel: true }),
  });
  const numberedSub = createSubscriberRedis(config.REDIS_URL);
  numberedSub.on('error', (err: Error) => log.debug({ err }, 'live redis connection error'));
  const sequencer = new StreamSequencer(
    seqRedis,
    numberedSub,
    config.REDIS_PREFIX,
    (namespace, room, event, payload) => {
      const local = io.of(namespace).local;
      (room === null ? local : local.to(room)).emit(event, payload);
      // Told why, then closed: a suspended participant's live sessions end on every node.
      if (namespace === '/account' && event === 'suspended' && room !== null) local.in(room).disconnectSockets(true);
    },
    (namespace, room) => {
      const adapter = io.of(namespace).adapter;
      return room === null ? adapter.sids.size > 0 : (adapter.rooms.get(room)?.size ?? 0) > 0;
    },
    (err) => log.warn({ err }, 'live message not numbered or not delivered; subscribers will see a gap'),
  );
  await waitAtMost(5_000, sequencer.start());

  const market = io.of('/market');
  const account = io.of('/account');
  const regulator = io.of('/regulator');
  const stopGuards = [guardNamespace(app, account, ['participant']), guardNamespace(app, regulator, ['regulator'])];
  // Every namespace has subscribed on Redis once the subscriber answers a later command.
  await waitAtMost(5_000, sub.ping());

  const listeners: Array<[string, (...args: any[]) => void]> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const on = <E extends keyof MarketEvents>(event: E, listener: (...args: MarketEvents[E]) => void): void => {
    bus.on(event, listener as never);
    listeners.push([event, listener as never]);
  };

  // ---- /market ------------------------------------------------------------------------------
  const tickers: TickerBoard = new TickerBoard(
    knex,
    engine,
    instruments,
    (symbol) => feed.tickerReady(symbol),
    (err) => log.warn({ err }, 'ticker totals could not be loaded'),
  );
  const feed = new MarketFeed({
    market,
    redis: seqRedis,
    prefix: config.REDIS_PREFIX,
    tickers,
    tradeIntervalMs,
    bookIntervalMs,
    tickerIntervalMs,
    bookLevels,
    onError: (err: unknown) => log.warn({ err }, 'market stream positions not mirrored to Redis'),
  });

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
      if (!instruments.spec(symbol) || !book) return answer(ack, { ok: false, code: 'UNKNOWN_SYMBOL', message: `no instrument ${symbol}` });
      if (!subscribed.has(symbol) && subscribed.size >= MAX_SYMBOLS_PER_SOCKET) {
        return answer(ack, { ok: false, code: 'TOO_MANY_SUBSCRIPTIONS', message: `at most ${MAX_SYMBOLS_PER_SOCKET} symbols per connection` });
      }
      subscribed.add(symbol);
      // Join first, then read where the streams stand: every message numbered after that read
      // reaches this socket, and everything before it is in a REST snapshot loaded after the ack.
      await socket.join([`symbol:${symbol}`, ...channels.map((c) => `${c}:${symbol}`)]);
      const numbered = [`instrument:${symbol}`, ...channels.filter((c) => c !== 'book').map((c) => `${c}:${symbol}`)];
      const [own, shared] = await Promise.all([
        feed.positions(numbered).catch(() => ({})),
        sequencer.positions([`session:${symbol}`, `listing:${symbol}`]).catch(() => ({})),
      ]);
      answer(ack, { ok: true, symbol, book, streams: { ...own, ...shared, [`book:${symbol}`]: { epoch: feed.epoch, sequence: book.sequence } } });
    });
    socket.on('unsubscribe', async (payload: unknown, ack?: unknown) => {
      const symbol = (payload as { symbol?: unknown } | null)?.symbol;
      if (typeof symbol === 'string') {
        subscribed.delete(symbol);
        for (const room of [`symbol:${symbol}`, ...CHANNELS.map((c) => `${c}:${symbol}`)]) await socket.leave(room);
      }
      if (typeof ack === 'function') (ack as (r: unknown) => void)({ ok: true });
    });
  });

  on('book', (depth) => feed.book(depth));

  // ---- /account and /regulator ----------------------------------------------------------------
  const accountStream = (participantId: string) => `account:${participantId}`;
  type Body<T> = Omit<T, keyof StreamStampFields>;
  function toParticipant<E extends keyof AccountMessages>(participantId: string, event: E, body: Body<AccountMessages[E]>, once?: string): void {
    const stream = accountStream(participantId);
    sequencer.publish({ namespace: '/account', room: `p:${participantId}`, event, stream, body, ...(once ? { once: `${once}:${stream}` } : {}) });
  }
  function toRegulators<E extends keyof RegulatorMessages>(event: E, body: Body<RegulatorMessages[E]>, once?: string): void {
    sequencer.publish({ namespace: '/regulator', room: null, event, stream: 'regulator', body, ...(once ? { once: `${once}:regulator` } : {}) });
  }
  const ready = (socket: Socket, stream: string) =>
    sequencer
      .positions([stream])
      .then((streams) => socket.emit('ready', { streams }))
      .catch(() => {});
  account.on('connection', (socket) => {
    const { participantId } = socket.data.user as AuthUser;
    const stream = accountStream(participantId!);
    void socket.join(`p:${participantId}`);
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
    feed.trade(trade, view);
    toRegulators('trade', { trade: { ...trade, ...parties } });
    toParticipant(parties.buyerId, 'fill', { fill: { ...trade, side: 'buy' } });
    toParticipant(parties.sellerId, 'fill', { fill: { ...trade, side: 'sell' } });
  });
  on('order', (participantId, order) => {
    toParticipant(participantId, 'order', { order });
    toRegulators('order', { order: { ...order, participantId } });
  });
  on('instrument', (status: InstrumentStatusView, actor, reason) => {
    feed.instrument(status);
    const at = new Date().toISOString();
    toRegulators('halt', { ...status, actor, reason, at });
  });
  // Every node hears every settlement (BullMQ queue events): the first to claim it sends it.
  on('settlement', (settlement: SettlementView) => {
    const once = `settlement:${settlement.tradeId}:${settlement.status}`;
    toParticipant(settlement.buyerId, 'settlement', { settlement }, once);
    if (settlement.sellerId !== settlement.buyerId) toParticipant(settlement.sellerId, 'settlement', { settlement }, once);
    toRegulators('settlement', { settlement }, once);
  });
  // Surveillance alerts, raised when stored and again when acknowledged.
  on('alert', (alert) => toRegulators('alert', { alert }));
  // Trading sessions: every node's scheduler may raise the same change; the first claim sends it.
  on('session', (event) => {
    sequencer.publish({
      namespace: '/market',
      room: `symbol:${event.symbol}`,
      event: 'session',
      stream: `session:${event.symbol}`,
      body: event,
      once: `session:${event.symbol}:${event.phase}:${event.at}`,
    });
  });
  // Listing auctions: the public board to the symbol's subscribers; bids to who may see them.
  on('listing', (change, listing) => {
    sequencer.publish({ namespace: '/market', room: `symbol:${listing.symbol}`, event: 'listing', stream: `listing:${listing.symbol}`, body: { symbol: listing.symbol, change, listing } });
  });
  on('listingBid', (bid, audience) => {
    // Open mode: the seller and the registered bidders see the bid by bidder number, regulators
    // with the bidder named. Sealed: only its bidder does — regulators break the glass to look.
    const viewers = audience.sealed ? [audience.bidderId] : [...new Set([audience.sellerId, ...audience.registeredIds, audience.bidderId])];
    for (const participantId of viewers) toParticipant(participantId, 'listingBid', { bid: { ...bid, bidder: null, mine: participantId === audience.bidderId } });
    if (!audience.sealed) toRegulators('listingBid', { bid: { ...bid, mine: false, bidder: { id: audience.bidderId, name: audience.bidderName } } });
  });
  // Block trades: to their two parties, each with its own role, and to regulators.
  on('blockTrade', (change, block) => {
    toParticipant(block.initiator.id, 'blockTrade', { change, block: { ...block, myRole: 'initiator' } });
    if (block.counterparty.id !== block.initiator.id) toParticipant(block.counterparty.id, 'blockTrade', { change, block: { ...block, myRole: 'counterparty' } });
    toRegulators('blockTrade', { change, block: { ...block, myRole: null } });
  });
  // A suspension ends the participant's live sessions on every node (see deliver above).
  on('participantStatus', (change) => {
    toRegulators('participantStatus', change);
    if (change.status === 'suspended') {
      toParticipant(change.participantId, 'suspended', { statusCode: 403, code: 'PARTICIPANT_SUSPENDED', message: 'this participant is suspended', reason: change.reason });
    }
  });

  // Balances: read from PostgreSQL for every participant a commit touched, many per statement.
  const balances = new BalanceFeed({
    read: (ids) => accountSnapshots(knex, instruments, ids),
    send: (participantId, balance) => toParticipant(participantId, 'balance', { balance }),
    onError: (err) => log.warn({ err }, 'balance snapshots failed'),
    intervalMs: balanceIntervalMs,
  });
  on('balance', (participantId) => balances.mark(participantId));
  // The engine raises a commit's balance changes after its books, orders and trades: by then the
  // commit's market messages are complete, so they leave now, ahead of the commit's HTTP answers
  // (already queued as promise continuations). Without this they would leave on the next tick.
  on('balance', () => {
    feed.flushDue();
    sequencer.flushNow();
  });

  return {
    io,
    async close() {
      for (const [event, listener] of listeners) bus.off(event as keyof MarketEvents, listener as never);
      for (const stop of stopGuards) stop();
      feed.close();
      balances.close();
      await sequencer.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      for (const c of [pub, sub, seqRedis, numberedSub]) c.disconnect();
    },
  };
}
