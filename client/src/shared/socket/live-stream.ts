import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { getToken, refreshSession, signOut } from '../auth/session.ts';
import { sequencedOf, StreamSequenceTracker, type StreamPosition } from './stream-sequence.ts';

// The one socket layer. Namespaces share one connection per (namespace, session) with reference
// counting (the access token is renewed every few minutes; the session, and the socket, stay); each hook instance tracks per-stream sequence numbers and calls onResync when it
// sees a gap or reconnects, so the caller reloads its REST snapshot (the source of truth).

export type LiveNamespace = '/market' | '/account' | '/regulator';
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

interface Entry {
  socket: Socket;
  refs: number;
}

const sockets = new Map<string, Entry>();

/** The session an access token names (its `sid` claim): what a socket belongs to. */
function sessionKeyOf(token: string | null): string {
  if (!token) return '';
  try {
    const claims = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sid?: unknown };
    return typeof claims.sid === 'string' ? claims.sid : token;
  } catch {
    return token;
  }
}

function acquire(namespace: LiveNamespace, session: string): Socket {
  const key = `${namespace}|${session}`;
  let entry = sockets.get(key);
  if (!entry) {
    const socket = io(namespace, {
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      // Read at every (re)connect, so a reconnect after a renewal sends the current token.
      auth: (send) => send(session ? { token: getToken() } : {}),
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
    });
    entry = { socket, refs: 0 };
    sockets.set(key, entry);
  }
  entry.refs += 1;
  return entry.socket;
}

function release(namespace: LiveNamespace, session: string): void {
  const key = `${namespace}|${session}`;
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
  /** The server ended the session on this socket (signed out, revoked, the account changed). */
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
  const session = sessionKeyOf(token);
  const symbolsKey = (options.symbols ?? []).join(',');
  const latest = useRef(options);
  latest.current = options;
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    if (!enabled) return;
    const socket = acquire(namespace, session);
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
    // The socket's session ended. This tab may already hold its successor (a password change
    // ends every session and answers a new one), so the refresh cookie decides: only when it too
    // is refused is the user signed out — by the caller's handler, else here (the router then
    // shows sign-in).
    const endSession = () =>
      void refreshSession().then((still) => {
        if (!still) (latest.current.onSessionExpired ?? signOut)();
      });
    const onConnectError = (err: Error & { data?: { code?: string } }) => {
      const code = err.data?.code ?? err.message;
      if (code === 'SESSION_ENDED' || code === 'USER_DISABLED' || code === 'TOKEN_INVALID') endSession();
      // Asleep past the access token's life: renew it and connect again (a refused handshake is not retried by itself).
      if (code === 'TOKEN_EXPIRED') {
        void refreshSession().then((renewed) => {
          if (renewed) socket.connect();
          else (latest.current.onSessionExpired ?? signOut)();
        });
      }
      setStatus(connectedBefore ? 'reconnecting' : 'offline');
    };
    const onSessionExpired = () => endSession();

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

    // One list for on and off, so a handler added here is also removed on unmount.
    const lifecycle: Array<[string, Parameters<Socket['on']>[1]]> = [
      ['connect', onConnect],
      ['ready', onReady],
      ['disconnect', onDisconnect],
      ['connect_error', onConnectError],
      ['session_expired', onSessionExpired],
      ['session_ended', onSessionExpired],
    ];
    for (const [event, handler] of lifecycle) socket.on(event, handler);
    if (socket.connected) {
      setStatus('live');
      subscribeAll();
    }

    return () => {
      for (const [event, handler] of lifecycle) socket.off(event, handler);
      for (const [event, listener] of listeners) socket.off(event, listener);
      release(namespace, session);
    };
    // Rooms are left joined until the socket closes: another view may share the subscription.
    // Handler names are fixed per call site; the handlers themselves are read through the ref.
  }, [namespace, session, symbolsKey, enabled]);

  return enabled ? status : 'offline';
}
