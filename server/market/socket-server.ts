import type { FastifyInstance } from 'fastify';
import { Server, type Namespace, type Socket } from 'socket.io';
import type { Config } from '../config.ts';
import type { TokenClaims } from '../auth/tokens.ts';
import { accountSnapshot } from '../account/account-snapshot.ts';

export interface SocketServer {
  io: Server;
  close(): Promise<void>;
}

/** Per-stream sequence numbers: a subscriber that sees a gap reloads the REST snapshot. */
class Sequences {
  private readonly counters = new Map<string, number>();
  next(stream: string): number {
    const n = (this.counters.get(stream) ?? 0) + 1;
    this.counters.set(stream, n);
    return n;
  }
}

function authenticateSocket(app: FastifyInstance, socket: Socket, roles: string[]): TokenClaims {
  const token = (socket.handshake.auth as { token?: unknown })?.token;
  if (typeof token !== 'string') throw new Error('TOKEN_MISSING');
  const claims = app.platform.tokens.verify(token);
  if (!roles.includes(claims.role)) throw new Error('FORBIDDEN_ROLE');
  return claims;
}

function guard(app: FastifyInstance, nsp: Namespace, roles: string[]): void {
  nsp.use((socket, next) => {
    try {
      socket.data.claims = authenticateSocket(app, socket, roles);
      next();
    } catch (error) {
      next(Object.assign(new Error((error as Error).message === 'FORBIDDEN_ROLE' ? 'FORBIDDEN_ROLE' : 'UNAUTHORIZED'), { data: { code: (error as Error).message } }));
    }
  });
}

/**
 * Live data over socket.io: /market (public, rooms per symbol), /account (own orders, fills,
 * balances, settlements) and /regulator (everything). Events come from the market bus, which
 * raises them only after the change is committed.
 */
export async function attachSocketServer(app: FastifyInstance, _config: Config): Promise<SocketServer> {
  const { bus, engine, knex } = app.platform;
  const io = new Server(app.server, { serveClient: false, cors: { origin: false } });
  const seq = new Sequences();

  const market = io.of('/market');
  market.on('connection', (socket) => {
    socket.on('subscribe', (payload: unknown, ack?: (r: unknown) => void) => {
      const symbol = typeof payload === 'object' && payload !== null ? (payload as { symbol?: unknown }).symbol : undefined;
      if (typeof symbol !== 'string' || !engine.spec(symbol)) {
        ack?.({ ok: false, code: 'UNKNOWN_SYMBOL' });
        return;
      }
      void socket.join(symbol);
      ack?.({ ok: true, book: engine.depth(symbol, 20) });
    });
    socket.on('unsubscribe', (payload: unknown) => {
      const symbol = (payload as { symbol?: unknown })?.symbol;
      if (typeof symbol === 'string') void socket.leave(symbol);
    });
  });

  const account = io.of('/account');
  guard(app, account, ['participant']);
  account.on('connection', (socket) => {
    const claims = socket.data.claims as TokenClaims;
    void socket.join(`p:${claims.participantId}`);
  });

  const regulator = io.of('/regulator');
  guard(app, regulator, ['regulator']);

  const toParticipant = (participantId: string, event: string, body: object) =>
    account.to(`p:${participantId}`).emit(event, { ...body, sequence: seq.next(`account:${participantId}`) });
  const toRegulators = (event: string, body: object) => regulator.emit(event, { ...body, sequence: seq.next('regulator') });

  bus.on('book', (depth) => {
    const top = { ...depth, bids: depth.bids.slice(0, 20), asks: depth.asks.slice(0, 20) };
    market.to(depth.symbol).emit('book', top);
  });
  bus.on('trade', (trade, parties) => {
    market.to(trade.symbol).emit('trade', { symbol: trade.symbol, sequence: seq.next(`trade:${trade.symbol}`), trade });
    toRegulators('trade', { trade: { ...trade, ...parties } });
    toParticipant(parties.buyerId, 'fill', { fill: { ...trade, side: 'buy' } });
    toParticipant(parties.sellerId, 'fill', { fill: { ...trade, side: 'sell' } });
  });
  bus.on('order', (participantId, order) => {
    toParticipant(participantId, 'order', { order });
    toRegulators('order', { order: { ...order, participantId } });
  });
  bus.on('instrument', (status, actor, reason) => {
    market.to(status.symbol).emit('instrument', { ...status, sequence: seq.next(`instrument:${status.symbol}`) });
    toRegulators('halt', { ...status, actor, reason });
  });
  bus.on('settlement', (settlement) => {
    toParticipant(settlement.buyerId, 'settlement', { settlement });
    if (settlement.sellerId !== settlement.buyerId) toParticipant(settlement.sellerId, 'settlement', { settlement });
    toRegulators('settlement', { settlement });
  });
  bus.on('balance', (participantId) => {
    if ((account.adapter.rooms.get(`p:${participantId}`)?.size ?? 0) === 0) return;
    void accountSnapshot(knex, engine, participantId)
      .then((snapshot) => toParticipant(participantId, 'balance', { balance: snapshot }))
      .catch((err) => app.log.warn({ err }, 'balance push failed'));
  });

  return {
    io,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}
