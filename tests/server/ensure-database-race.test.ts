import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase, ensureDatabase } from '../../server/infra/database.ts';

// Server bug 4 (see the report): concurrent CREATE DATABASE of the same name fails with 23505
// (pg_database_datname_index), which ensureDatabase does not treat as "already created".
const url = `postgres://postgres@127.0.0.1:5432/ecorights_test_race_${randomBytes(4).toString('hex')}`;
afterAll(async () => {
  await dropDatabase(url);
});

describe('ensureDatabase', () => {
  it('tolerates several processes creating the same missing database at once', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => ensureDatabase(url)));
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
  });
});
