import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { inspectionKnex } from '../support/fault-processes.ts';

// Server bug (see /tmp/server-bugs-faults.md): when PostgreSQL ends the platform's connections
// (pg_terminate_backend, a restart, a failover), the next requests that draw one of the dead
// pooled connections answer 500 INTERNAL_ERROR. A lost database connection is transient: the
// answer should be a retryable 503 (or the request should succeed on a fresh connection).
let tp: TestPlatform;
let knex: Knex;
beforeAll(async () => {
  tp = await startTestPlatform('db-conn-500', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  knex = inspectionKnex(tp.config.DATABASE_URL);
});
afterAll(async () => {
  await knex?.destroy();
  await tp?.close();
});

describe('a request after PostgreSQL dropped the platform connections', () => {
  it('is answered 200 or a retryable 503, never 500', async () => {
    const p = await tp.participant('enterprise');
    // Fill the pool with idle connections, then have PostgreSQL end every one of them.
    await Promise.all(Array.from({ length: 20 }, () => tp.api('GET', '/api/orders', p.token)));
    await knex.raw(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ecorights'`);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await tp.api('GET', '/api/orders', p.token)).statusCode);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  });
});
