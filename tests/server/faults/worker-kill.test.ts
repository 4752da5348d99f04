import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../../server/ledger/reconciliation.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { inspectionKnex, ProcessGroup } from '../support/fault-processes.ts';
import { balanceProblems, feeProblems, placeAccepted as place, settlementCounts, type Funding } from './order-checks.ts';

// Issue 7, fault test 3: an API node with SETTLEMENT_WORKERS=0 and settlement in its own process
// (server/worker-main.ts). Trades queue up; the worker is killed -9 while it settles — one
// settlement provably mid-transaction, held on a row lock the test owns — and another worker
// takes over: every trade settles exactly once and every balance is exact.

const C24 = 'CARBON-2024';
const C23 = 'CARBON-2023';
const group = new ProcessGroup();
let tp: TestPlatform;
let knex: Knex;
/** The test's own lock; released in afterAll too, so a failed test cannot leave the engine or a worker waiting. */
let holding: Knex.Transaction | undefined;

beforeAll(async () => {
  tp = await startTestPlatform('worker-kill', { SETTLEMENT_WORKERS: 0, OUTBOX_SWEEP_MS: 200, SETTLEMENT_REQUEUE_MS: 2000, LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  knex = inspectionKnex(tp.config.DATABASE_URL);
});

afterAll(async () => {
  await holding?.rollback().catch(() => {});
  await group.killAll();
  await knex?.destroy();
  await tp?.close();
});

const workerEnv = () => ({
  DATABASE_URL: tp.config.DATABASE_URL,
  REDIS_URL: tp.config.REDIS_URL,
  REDIS_PREFIX: tp.config.REDIS_PREFIX,
  SETTLEMENT_WORKERS: '4',
});

const settledCount = async () => Number((await knex('trades').where({ status: 'settled' }).count<Array<{ count: string }>>('* as count'))[0]!.count);

/** Backends of the platform (application_name 'ecorights') waiting for a lock the given backend holds. */
const blockedBy = async (holder: number) =>
  (
    await knex.raw<{ rows: Array<{ pid: number; query: string; xid: string | null }> }>(
      `SELECT pid, query, backend_xid::text AS xid FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'ecorights' AND ? = ANY(pg_blocking_pids(pid))`,
      [holder],
    )
  ).rows;

describe('a settlement worker killed mid-job', () => {
  it('settles every trade exactly once after another worker takes over', { timeout: 110_000 }, async () => {
    const t0 = Date.now();
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    const [s1, s2, s3, b1, b2, b3, hostageSeller, hostage] = await Promise.all(Array.from({ length: 8 }, () => tp.participant('enterprise')));
    const sellers = [s1!, s2!, s3!];
    const buyers = [b1!, b2!, b3!];
    const funding = new Map<string, Funding>();
    await Promise.all([
      ...[...sellers, hostageSeller!].flatMap((s) => [tp.lot(s.id, C24, '1000'), tp.lot(s.id, C23, '1000')]),
      ...buyers.map((b) => tp.deposit(b.id, '1000000.00')),
      tp.deposit(hostage!.id, '10000.00'),
      tp.lot(hostage!.id, C23, '5'),
    ]);
    for (const s of [...sellers, hostageSeller!]) funding.set(s.id, { cash: '0', holdings: { [C24]: '1000', [C23]: '1000' } });
    for (const b of buyers) funding.set(b.id, { cash: '1000000.00', holdings: {} });
    funding.set(hostage!.id, { cash: '10000.00', holdings: { [C23]: '5' } });

    /** Per seller `each` resting sells of 2, all taken by the buyers' IOC sweeps: 3 × `each` trades. */
    const tradesOf = async (symbol: string, price: string, each: number) => {
      await Promise.all(sellers.flatMap((s) => Array.from({ length: each }, () => place(tp, s.token, { symbol, side: 'sell', price, quantity: '2' }))));
      for (const b of buyers) {
        const sweep = await place(tp, b.token, { symbol, side: 'buy', price, quantity: String(2 * each), timeInForce: 'IOC' });
        expect(sweep.order.status).toBe('filled');
      }
    };

    // The test holds the hostage buyer's CARBON-2023 account (the engine never locks it for a
    // buy; settlement delivers into it): settling the hostage trade blocks inside its
    // transaction, wherever it first needs that row, until the test lets go — and the worker is
    // killed right there.
    const hold = await knex.transaction();
    holding = hold;
    await hold.raw(`SELECT id FROM accounts WHERE participant_id = ? AND asset = ? FOR UPDATE`, [hostage!.id, C23]);
    const holder = (await hold.raw<{ rows: Array<{ pid: number }> }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

    // The first worker starts while 120 trades are made and settles them as they come; the
    // hostage trade (its own buyer and seller) comes last, so settlements committed before it.
    const starting = group.worker(workerEnv());
    starting.catch(() => {}); // awaited below
    await tradesOf(C24, '62.00', 20);
    await tradesOf(C23, '58.00', 20);
    await place(tp, hostageSeller!.token, { symbol: C23, side: 'sell', price: '58.00', quantity: '1' });
    const held = await place(tp, hostage!.token, { symbol: C23, side: 'buy', price: '58.00', quantity: '1', timeInForce: 'IOC' });
    expect(held.fills).toHaveLength(1);
    const heldTrade = held.fills[0]!.tradeId;
    expect((await settlementCounts(knex)).trades).toBe(121);
    phase('trades made');
    const first = await starting;
    phase('first worker running');

    const blocked = await eventually(
      async () => {
        const waiters = await blockedBy(holder);
        const settled = await settledCount();
        return waiters.length > 0 && settled > 0 ? { waiters: waiters.map((w) => w.pid), queries: waiters.map((w) => w.query), xids: waiters.map((w) => w.xid), settled } : undefined;
      },
      'the first worker mid-way through the queue, one settlement blocked in its transaction',
      30_000,
    );
    // Mid-transaction: the waiting settlement already holds a transaction id (it has locked or
    // written rows: its trades at least) when the worker dies.
    expect(blocked.xids.every((x) => x !== null), blocked.queries.join('\n')).toBe(true);
    await first.kill9();
    phase('first worker killed');
    const second = group.worker(workerEnv());
    second.catch(() => {}); // awaited below
    const settledAtKill = await settledCount();
    expect(settledAtKill).toBeLessThan(121);
    // BullMQ still counts the killed worker's jobs as active: they were taken and never finished.
    const jobs = await tp.running.platform.settlementQueue.getJobCounts('active', 'completed', 'wait');
    expect(jobs.active).toBeGreaterThan(0);

    await hold.rollback();
    holding = undefined;
    // PostgreSQL ends the dead worker's session (its transaction rolls back) once the lock is free.
    await eventually(
      async () =>
        Number((await knex.raw<{ rows: Array<{ n: string }> }>(`SELECT count(*)::text AS n FROM pg_stat_activity WHERE pid = ANY(?::int[])`, [blocked.waiters])).rows[0]!.n) === 0,
      'the dead worker’s backends ended',
    );
    expect((await knex('trades').where({ id: heldTrade }).first<{ status: string }>('status'))!.status).toBe('pending');

    // Another worker takes over and trading goes on. The dead worker's own jobs come back only
    // once BullMQ sees them stalled (30 s locks, stall checks every 30 s: a minute or more, not
    // awaited here); their trades are settled sooner, alongside the new trades' jobs — the same
    // "already settled" path every job whose trade a neighbour's batch took goes through.
    await second;
    phase('second worker running');
    await tradesOf(C24, '62.00', 4);
    const total = 121 + 12;
    await eventually(async () => (await settledCount()) === total, 'every trade settled by the second worker', 60_000);
    phase('all settled');
    console.info(
      `worker kill: killed waiting in "${blocked.queries[0]!.replace(/\s+/g, ' ').slice(0, 60)}…"; ${blocked.settled}/121 settled when the kill was decided, ${settledAtKill} after it; jobs ${JSON.stringify(jobs)}; ${phases.join(', ')}`,
    );

    const counts = await settlementCounts(knex);
    expect(counts.notExactlyOnce).toEqual([]);
    expect(counts.settled).toBe(total);
    expect(await knex('trades').where({ status: 'failed' }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
    // Delivery moved each trade's quantity once: lot movements of kind 'trade' sum to the trade.
    const deliveries = await knex.raw<{ rows: Array<{ id: string }> }>(
      `SELECT t.id FROM trades t LEFT JOIN (SELECT trade_id, sum(quantity) AS q FROM lot_movements WHERE kind = 'trade' GROUP BY trade_id) m ON m.trade_id = t.id
        WHERE m.q IS DISTINCT FROM t.quantity`,
    );
    expect(deliveries.rows).toEqual([]);
    expect(await balanceProblems(knex, funding)).toEqual([]);
    expect(await feeProblems(knex)).toEqual([]);
    const report = await reconcile(knex);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
