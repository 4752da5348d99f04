import pg from 'pg';
import { Redis } from 'ioredis';
import { ensureDatabase } from './database.ts';

const redactPassword = (url: string) => {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
};

/**
 * Checks both services before anything else starts, so a newcomer whose PostgreSQL or Redis is
 * down gets one line that says which URL failed and how to start it, not a stack trace.
 * Returns the problem as a sentence, or null when both answer.
 */
export async function checkServices(databaseUrl: string, redisUrl: string): Promise<string | null> {
  try {
    const probe = new pg.Client({ connectionString: databaseUrl.replace(/\/[^/]*$/, '/postgres'), connectionTimeoutMillis: 3000 });
    await probe.connect();
    await probe.end();
    await ensureDatabase(databaseUrl);
  } catch (error) {
    return `Cannot reach PostgreSQL at ${redactPassword(databaseUrl)} (${(error as Error).message || (error as { code?: string }).code}). ` +
      'Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start — or set DATABASE_URL.';
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    return `Cannot reach Redis at ${redactPassword(redisUrl)} (${(error as Error).message}). ` +
      'Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no — or set REDIS_URL.';
  } finally {
    redis.disconnect();
  }
  return null;
}
