import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import { loadPrincipal, type SessionPrincipal } from './session-store.ts';

/**
 * Answers "who is behind this session now" for every authenticated request and socket. Reading
 * PostgreSQL on each request would cost a query per call, so answers are kept for a few seconds
 * per node; a change that matters (logout, role change, disable, password change or reset,
 * suspension) is announced on a Redis channel under the platform's prefix and every node drops
 * what it kept for that user at once and re-checks the user's live sockets. If Redis is away the
 * announcement is lost, and the cache's few seconds are the longest a change can take to arrive.
 */
export interface SessionGate {
  principal(sessionId: string, userId: string): Promise<SessionPrincipal | null>;
  /** After the commit that changed the user: every node forgets the user's cached sessions. */
  announce(userId: string): Promise<void>;
  /** Called on this node for every announcement (its own and other nodes'), after the cache is dropped. */
  onChange(listener: (userId: string) => void): () => void;
  start(): Promise<void>;
  close(): Promise<void>;
}

export const SESSION_CACHE_MS = 3000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Cached {
  principal: SessionPrincipal | null;
  until: number;
  userId: string;
}

export interface SessionGateOptions {
  knex: Knex;
  /** The request path's fail-fast connection, for publishing. */
  publisher: Redis;
  /** A connection of its own in subscriber mode. */
  subscriber: Redis;
  prefix: string;
  onError: (err: unknown) => void;
  cacheMs?: number;
}

export function createSessionGate(o: SessionGateOptions): SessionGate {
  const channel = `${o.prefix}:auth:user-changed`;
  const cacheMs = o.cacheMs ?? SESSION_CACHE_MS;
  const cache = new Map<string, Cached>();
  const listeners = new Set<(userId: string) => void>();
  // Bumped by every announcement: a read that began before it must not store what it read, or a
  // slow query could put back the state the announcement just retired.
  let generation = 0;

  const forget = (userId: string) => {
    generation += 1;
    for (const [sid, entry] of cache) if (entry.userId === userId) cache.delete(sid);
    for (const listener of listeners) {
      try {
        listener(userId);
      } catch (err) {
        o.onError(err);
      }
    }
  };
  // Messages are "<node>:<user id>"; a node has already forgotten what it announced itself.
  const node = randomUUID();
  const onMessage = (from: string, message: string) => {
    const match = /^([0-9a-f-]{36}):([1-9][0-9]*)$/.exec(message);
    if (from === channel && match && match[1] !== node) forget(match[2]!);
  };

  return {
    async principal(sessionId, userId) {
      if (!UUID.test(sessionId)) return null;
      const now = Date.now();
      const hit = cache.get(sessionId);
      if (hit && hit.until > now && hit.userId === userId) return hit.principal;
      const started = generation;
      const principal = await loadPrincipal(o.knex, sessionId, userId);
      if (generation === started) {
        if (cache.size > 50_000) cache.clear();
        cache.set(sessionId, { principal, until: now + cacheMs, userId });
      }
      return principal;
    },
    async announce(userId) {
      forget(userId);
      try {
        await o.publisher.publish(channel, `${node}:${userId}`);
      } catch (err) {
        o.onError(err);
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      o.subscriber.on('message', onMessage);
      await o.subscriber.subscribe(channel);
    },
    async close() {
      o.subscriber.off('message', onMessage);
      o.subscriber.disconnect();
      listeners.clear();
      cache.clear();
    },
  };
}
