import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { sequencedOf, StreamSequenceTracker, type StreamPosition } from './stream-sequence.ts';

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
  /** The server ended the session (expired or invalid token) on this socket. */
  onSessionExpired?: () => void;
  /** The subscribe acknowledgement (the server sends the current book with it). */
  onSubscribed?: (symbol: string, ack: unknown) => void;
  /** Reload REST snapshots: called on a sequence gap and after a reconnect. */
  onResync: () => void;
  enabled?: boolean;
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
    // Messages name their stream (`stream`); older servers did not, so fall back to streamKey.
    const tracker = new StreamSequenceTracker();
    let connectedBefore = socket.connected;
    const baseline = (streams: unknown) => {
      if (!streams || typeof streams !== 'object') return;
      for (const [stream, position] of Object.entries(streams as Record<string, StreamPosition>)) {
        if (position && typeof position.sequence === 'number') tracker.baseline(stream, position);
      }
    };

    const subscribeAll = () => {
      for (const symbol of symbols) {
        socket.emit('subscribe', { symbol }, (ack: unknown) => {
          // Where each stream stood when we joined: a later gap is then noticed too.
          baseline((ack as { streams?: unknown } | undefined)?.streams);
          latest.current.onSubscribed?.(symbol, ack);
        });
      }
    };
    const onReady = (payload: { streams?: unknown }) => baseline(payload?.streams);

    const onConnect = () => {
      setStatus('live');
      subscribeAll();
      if (connectedBefore) {
        tracker.forget();
        latest.current.onResync();
      }
      connectedBefore = true;
    };
    const onDisconnect = () => setStatus('reconnecting');
    const onConnectError = (err: Error & { data?: { code?: string } }) => {
      const code = err.data?.code ?? err.message;
      if (code === 'TOKEN_EXPIRED' || code === 'TOKEN_INVALID') latest.current.onSessionExpired?.();
      setStatus(connectedBefore ? 'reconnecting' : 'offline');
    };
    const onSessionExpired = () => latest.current.onSessionExpired?.();

    const listeners = new Map<string, (payload: unknown) => void>();
    for (const event of Object.keys(options.handlers)) {
      const listener = (payload: unknown) => {
        const message = sequencedOf(payload);
        if (message) {
          const isSnapshot = latest.current.snapshotEvents?.includes(event) ?? false;
          const named = (payload as { stream?: unknown }).stream;
          const key = typeof named === 'string' ? named : latest.current.streamKey ? latest.current.streamKey(event, payload) : `${event}|${symbolOf(payload)}`;
          const verdict = tracker.observe(key, message);
          if (verdict.kind === 'stale') return; // a duplicate after a reconnect, or older than what we hold
          // A snapshot message repairs a gap by itself; a restart of numbering always reloads.
          if (verdict.kind === 'reset' || (verdict.kind === 'gap' && !isSnapshot)) latest.current.onResync();
        }
        const handler = latest.current.handlers[event];
        if (handler) (handler as (p: unknown) => void)(payload);
      };
      listeners.set(event, listener);
      socket.on(event, listener);
    }

    socket.on('connect', onConnect);
    socket.on('ready', onReady);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onConnectError);
    socket.on('session_expired', onSessionExpired);
    if (socket.connected) {
      setStatus('live');
      subscribeAll();
    }

    return () => {
      socket.off('connect', onConnect);
      socket.off('ready', onReady);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onConnectError);
      socket.off('session_expired', onSessionExpired);
      for (const [event, listener] of listeners) socket.off(event, listener);
      release(namespace, token);
    };
    // Rooms are left joined until the socket closes: another view may share the subscription.
    // Handler names are fixed per call site; the handlers themselves are read through the ref.
  }, [namespace, token, symbolsKey, enabled]);

  return enabled ? status : 'offline';
}
