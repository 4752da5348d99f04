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
