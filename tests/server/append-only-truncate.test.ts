import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

// Server bug 2 (see the report): the append-only triggers fire on UPDATE and DELETE only, so a
// TRUNCATE empties postings or the audit log. Each TRUNCATE runs in a transaction rolled back after.
let tp: TestPlatform;
beforeAll(async () => {
  tp = await startTestPlatform('truncate');
  const p = await tp.participant('enterprise');
  await tp.deposit(p.id, '100.00');
});
afterAll(async () => {
  await tp?.close();
});

describe('append-only tables', () => {
  it.each(['postings', 'audit_log', 'lots', 'journal_transfers'])('%s refuses TRUNCATE', async (table) => {
    const outcome = await tp.running.platform.knex
      .transaction(async (trx) => {
        await trx.raw(`TRUNCATE ${table} CASCADE`);
        throw new Error('TRUNCATE accepted');
      })
      .catch((error: { code?: string; message: string }) => ({ code: error.code, message: error.message }));
    expect(outcome).toEqual({ code: '42501', message: expect.stringContaining('append-only') });
  });
});
