import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';

// The one socket layer. Namespaces share one connection per (namespace, token) with reference
// counting; each hook instance tracks per-stream sequence numbers and calls onResync when it
// sees a gap or reconnects, so the caller reloads its REST snapshot (the source of truth).

export type LiveNamespace = '/market' | '/account' | '/regulator';
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

interface Entry {
  socket: Socket;
  refs: number;
}

const sockets = new Map<string, Entry>();

function acquire(namespace: LiveNamespace, token: string | null): Socket {
  const key = `${namespace}|${token ?? ''}`;
  let entry = sockets.get(key);
  if (!entry) {
    const socket = io(namespace, {
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      auth: token ? { token } : {},
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
    });
    entry = { socket, refs: 0 };
    sockets.set(key, entry);
  }
  entry.refs += 1;
  return entry.socket;
}

function release(namespace: LiveNamespace, token: string | null): void {
  const key = `${namespace}|${token ?? ''}`;
  const entry = sockets.get(key);
  if (!entry) return;
  entry.refs -= 1;
  if (entry.refs <= 0) {
    entry.socket.disconnect();
    sockets.delete(key);
  }
}

type Handler = (payload: never) => void;

export interface LiveStreamOptions {
  namespace: LiveNamespace;
  token?: string | null;
  /** Symbols to subscribe to (market namespace); re-sent after every (re)connect. */
  symbols?: readonly string[];
  handlers: Record<string, Handler>;
  /** Events that carry a full snapshot (the book): a gap there needs no reload. */
  snapshotEvents?: readonly string[];
  /**
   * Which sequence counter a message belongs to. The server numbers /market per symbol and
   * event (trade:SYMBOL, instrument:SYMBOL) but /account and /regulator as one stream each.
   */
  streamKey?: (event: string, payload: unknown) => string;
  /** The subscribe acknowledgement (the server sends the current book with it). */
  onSubscribed?: (symbol: string, ack: unknown) => void;
  /** Reload REST snapshots: called on a sequence gap and after a reconnect. */
  onResync: () => void;
  enabled?: boolean;
}

function sequenceOf(payload: unknown): number | null {
  if (payload && typeof payload === 'object' && 'sequence' in payload) {
    const seq = (payload as { sequence: unknown }).sequence;
    if (typeof seq === 'number') return seq;
    if (typeof seq === 'string' && /^\d+$/.test(seq)) return Number(seq);
  }
  return null;
}

function symbolOf(payload: unknown): string {
  if (payload && typeof payload === 'object' && 'symbol' in payload) {
    const s = (payload as { symbol: unknown }).symbol;
    if (typeof s === 'string') return s;
  }
  return '';
}

export function useLiveStream(options: LiveStreamOptions): LiveStatus {
  const { namespace, token = null, enabled = true } = options;
  const symbolsKey = (options.symbols ?? []).join(',');
  const latest = useRef(options);
  latest.current = options;
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    if (!enabled) return;
    const socket = acquire(namespace, token);
    const symbols = symbolsKey ? symbolsKey.split(',') : [];
    const lastSeq = new Map<string, number>();
    let connectedBefore = socket.connected;

    const subscribeAll = () => {
      for (const symbol of symbols) socket.emit('subscribe', { symbol }, (ack: unknown) => latest.current.onSubscribed?.(symbol, ack));
    };

    const onConnect = () => {
      setStatus('live');
      subscribeAll();
      if (connectedBefore) {
        lastSeq.clear();
        latest.current.onResync();
      }
      connectedBefore = true;
    };
    const onDisconnect = () => setStatus('reconnecting');
    const onConnectError = () => setStatus(connectedBefore ? 'reconnecting' : 'offline');

    const listeners = new Map<string, (payload: unknown) => void>();
    for (const event of Object.keys(options.handlers)) {
      const listener = (payload: unknown) => {
        const seq = sequenceOf(payload);
        const isSnapshot = latest.current.snapshotEvents?.includes(event) ?? false;
        if (seq !== null && !isSnapshot) {
          const key = latest.current.streamKey ? latest.current.streamKey(event, payload) : `${event}|${symbolOf(payload)}`;
          const prev = lastSeq.get(key);
          if (prev !== undefined && seq <= prev) return; // duplicate after a reconnect
          lastSeq.set(key, seq);
          if (prev !== undefined && seq > prev + 1) latest.current.onResync();
        }
        const handler = latest.current.handlers[event];
        if (handler) (handler as (p: unknown) => void)(payload);
      };
      listeners.set(event, listener);
      socket.on(event, listener);
    }

    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onConnectError);
    if (socket.connected) {
      setStatus('live');
      subscribeAll();
    }

    return () => {
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onConnectError);
      for (const [event, listener] of listeners) socket.off(event, listener);
      release(namespace, token);
    };
    // Rooms are left joined until the socket closes: another view may share the subscription.
    // Handler names are fixed per call site; the handlers themselves are read through the ref.
  }, [namespace, token, symbolsKey, enabled]);

  return enabled ? status : 'offline';
}
