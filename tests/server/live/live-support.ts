import { io, type Socket } from 'socket.io-client';
import type { TestPlatform } from '../support/test-platform.ts';

const inboxes = new WeakMap<Socket, Inbox>();

/** What a socket from `connect` has received since it connected. */
export function inboxOf(socket: Socket): Inbox {
  const found = inboxes.get(socket);
  if (!found) throw new Error('not a socket from connect()');
  return found;
}

/**
 * A socket.io client of one namespace, connected (or refused) before it is returned. Its inbox
 * listens before the connection opens: a message sent on connecting is not missed.
 */
export async function connect(baseUrl: string, namespace: '/market' | '/account' | '/regulator', token?: string): Promise<Socket> {
  const socket = io(`${baseUrl}${namespace}`, { transports: ['websocket'], auth: token ? { token } : {}, reconnection: false, forceNew: true, autoConnect: false });
  inboxes.set(socket, new Inbox(socket));
  socket.connect();
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** Why a connection was refused: the error's message and data, as the server sent them. */
export async function refusal(baseUrl: string, namespace: '/account' | '/regulator', token?: string): Promise<{ message: string; data: unknown }> {
  const socket = io(`${baseUrl}${namespace}`, { transports: ['websocket'], auth: token ? { token } : {}, reconnection: false, forceNew: true });
  try {
    return await new Promise((resolve, reject) => {
      socket.once('connect', () => reject(new Error(`${namespace} admitted the connection`)));
      socket.once('connect_error', (err: Error & { data?: unknown }) => resolve({ message: err.message, data: err.data }));
    });
  } finally {
    socket.close();
  }
}

/**
 * Everything a socket receives, by event, in arrival order; `next` waits for the n-th message of
 * an event (or one that matches) instead of sleeping.
 */
export class Inbox {
  readonly messages: Array<{ event: string; payload: Record<string, unknown> }> = [];
  private waiters: Array<() => void> = [];

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: Record<string, unknown>) => {
      this.messages.push({ event, payload });
      const waiting = this.waiters;
      this.waiters = [];
      for (const w of waiting) w();
    });
  }

  of<T = Record<string, unknown>>(event: string): T[] {
    return this.messages.filter((m) => m.event === event).map((m) => m.payload as T);
  }

  /** Resolves once `count` messages of `event` satisfying `match` have arrived. */
  async wait<T = Record<string, unknown>>(event: string, count = 1, match: (payload: T) => boolean = () => true, timeoutMs = 15_000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.of<T>(event).filter(match);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out waiting for ${count} × ${event}; got ${found.length}: ${JSON.stringify(this.messages.map((m) => m.event))}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

export function emitWithAck<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return socket.timeout(10_000).emitWithAck(event, payload) as Promise<T>;
}

export interface Trader {
  id: string;
  token: string;
}

/** A seller with indicator quantity and a buyer with cash, admitted through the API. */
export async function traders(tp: TestPlatform, symbol: string): Promise<{ seller: Trader; buyer: Trader }> {
  const seller = await tp.participant('government');
  const buyer = await tp.participant('enterprise');
  await tp.lot(seller.id, symbol, '1000.00');
  await tp.deposit(buyer.id, '900000000.00');
  return { seller, buyer };
}

export async function order(tp: TestPlatform, token: string, body: { symbol: string; side: 'buy' | 'sell'; price: string; quantity: string }) {
  const res = await tp.api('POST', '/api/orders', token, { type: 'limit', timeInForce: 'GTC', ...body });
  if (res.statusCode !== 201) throw new Error(`order: ${res.statusCode} ${res.body}`);
  return res.json<{ order: { id: string; status: string }; fills: Array<{ tradeId: string; price: string; quantity: string }> }>();
}

/** The reference price of a symbol: orders at it are inside any price band. */
export async function referencePrice(tp: TestPlatform, symbol: string): Promise<string> {
  const list = (await tp.api('GET', '/api/instruments')).json<Array<{ symbol: string; referencePrice: string }>>();
  const found = list.find((i) => i.symbol === symbol);
  if (!found) throw new Error(`no instrument ${symbol}`);
  return found.referencePrice;
}
