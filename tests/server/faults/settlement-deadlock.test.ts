import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

// Server bug (see /tmp/server-bugs-faults.md): settlement inserts its postings — whose foreign
// key takes FOR KEY SHARE locks on the accounts, in posting order — before it locks the same
// accounts FOR UPDATE in id order, so the one lock order the engine and settlement agree on is
// broken. Under ordinary concurrent trading an engine batch ends up in a deadlock with
// settlements; when PostgreSQL picks the batch as the victim, every order in it is refused 503
// ENGINE_UNAVAILABLE and every book is rebuilt. No fault is injected here: only trading.

let tp: TestPlatform;
beforeAll(async () => {
  tp = await startTestPlatform('settle-deadlock', { SETTLEMENT_WORKERS: 4, LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
});
afterAll(async () => {
  await tp?.close();
});

describe('trading while settlement runs', () => {
  it('never refuses an order because an engine batch deadlocked with a settlement', { timeout: 110_000 }, async () => {
    const traders = await Promise.all(Array.from({ length: 6 }, () => tp.participant('enterprise')));
    await Promise.all(traders.flatMap((t) => [tp.deposit(t.id, '5000000.00'), tp.lot(t.id, 'CARBON-2024', '5000'), tp.lot(t.id, 'CARBON-2023', '5000')]));
    const answers: Record<string, number> = {};
    let n = 0;
    const client = async (k: number) => {
      for (let i = 0; i < 70; i++) {
        const t = traders[(k + i) % traders.length]!;
        const symbol = (n++ & 1) === 0 ? 'CARBON-2024' : 'CARBON-2023';
        const price = symbol === 'CARBON-2024' ? '62.00' : '58.00';
        const res = await tp.api('POST', '/api/orders', t.token, { symbol, side: (k + i) % 2 === 0 ? 'buy' : 'sell', type: 'limit', price, quantity: String(1 + (i % 5)), timeInForce: 'GTC' });
        const key = res.statusCode === 201 ? '201' : `${res.statusCode} ${res.json<{ code: string }>().code}`;
        answers[key] = (answers[key] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: 12 }, (_, k) => client(k)));
    const deadlocks = await tp.running.platform.knex.raw<{ rows: Array<{ deadlocks: string }> }>(`SELECT deadlocks::text FROM pg_stat_database WHERE datname = current_database()`);
    expect(answers, `PostgreSQL counted ${deadlocks.rows[0]!.deadlocks} deadlocks in this database`).toEqual({ '201': 12 * 70 });
  });
});
