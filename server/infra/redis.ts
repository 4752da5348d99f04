import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connections for the request path fail fast instead of queueing commands while Redis is away;
 * the settlement outbox in PostgreSQL keeps what could not be sent.
 */
export function createProducerRedis(url: string): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
}

/** Blocking connections for BullMQ workers and queue events, as BullMQ requires. */
export function createWorkerRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, ...extra });
}

/**
 * Live messages' publisher (socket.io's Redis adapter). Auto-pipelining: the commands of one turn
 * of the event loop (a flush's publishes) leave in one write instead of one system call each.
 */
export function createLivePublisherRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableAutoPipelining: true });
}

/** A subscriber connection (pub/sub): it waits for Redis to come back rather than failing. */
export function createSubscriberRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Numbering of live streams: fail fast (a gap the client repairs beats a stalled flush), pipelined. */
export function createLiveSequencerRedis(url: string): Redis {
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, enableAutoPipelining: true });
}
