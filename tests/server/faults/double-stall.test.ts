import type { Knex } from 'knex';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { place } from '../support/market.ts';
import { inspectionKnex, ProcessGroup } from '../support/fault-processes.ts';

// Server bug (see /tmp/server-bugs-faults.md): a settlement job whose worker dies twice while
// holding it (two crashes, or two kill -9 deploys, while one settlement is slow) exceeds
// BullMQ's maxStalledCount (1) and is *failed by BullMQ* without the processor running, so no
// dead letter is recorded: the trade stays `pending`, is not listed as a dead letter, cannot be
// replayed (409 NOT_DEAD_LETTER), and the outbox sweeper's re-enqueue is a no-op because the
// failed job still holds the job id. The trade settles only if some other trade's batch happens
// to take it along; in a quiet market it stays unsettled, the buyer's cash locked.
//
// BullMQ's 30 s locks and stall checks are fast-forwarded (see below), so this takes seconds.

const C23 = 'CARBON-2023';
const group = new ProcessGroup();
let tp: TestPlatform;
let knex: Knex;
let redis: Redis;
let hold: Knex.Transaction | undefined;

beforeAll(async () => {
  tp = await startTestPlatform('double-stall', { SETTLEMENT_WORKERS: 0, OUTBOX_SWEEP_MS: 200, SETTLEMENT_REQUEUE_MS: 1000, LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  knex = inspectionKnex(tp.config.DATABASE_URL);
  redis = new Redis(tp.config.REDIS_URL);
});
afterAll(async () => {
  await hold?.rollback().catch(() => {});
  await group.killAll();
  redis?.disconnect();
  await knex?.destroy();
  await tp?.close();
});

const workerEnv = () => ({ DATABASE_URL: tp.config.DATABASE_URL, REDIS_URL: tp.config.REDIS_URL, REDIS_PREFIX: tp.config.REDIS_PREFIX, SETTLEMENT_WORKERS: '1' });

describe('a settlement job stalled twice', () => {
  it('still gets its trade settled (or dead-lettered)', { timeout: 240_000 }, async () => {
    const [seller, buyer] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await Promise.all([tp.lot(seller!.id, C23, '10'), tp.lot(buyer!.id, C23, '1'), tp.deposit(buyer!.id, '10000.00')]);
    // A lock of ours on the buyer's CARBON-2023 account keeps the settlement of its trade waiting.
    hold = await knex.transaction();
    await hold.raw(`SELECT id FROM accounts WHERE participant_id = ? AND asset = ? FOR UPDATE`, [buyer!.id, C23]);
    await place(tp, seller!.token, { symbol: C23, side: 'sell', price: '58.00', quantity: '1' });
    const trade = (await place(tp, buyer!.token, { symbol: C23, side: 'buy', price: '58.00', quantity: '1', timeInForce: 'IOC' })).fills[0]!.tradeId;
    const jobId = `trade-${trade}`;
    const keys = `${tp.config.REDIS_PREFIX}:settlement`;
    // Platform backends waiting for a lock: on ours, or on the trade row a dead worker's session still holds.
    const waiting = async () =>
      (
        await knex.raw<{ rows: Array<{ pid: number }> }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ecorights' AND wait_event_type = 'Lock' AND cardinality(pg_blocking_pids(pid)) > 0`,
        )
      ).rows.map((r) => r.pid);

    for (const round of [1, 2]) {
      // Waiters from before this worker started (a dead worker's session still waits): taken
      // before the worker runs, which may block within milliseconds of saying so.
      const before = await waiting();
      const worker = await group.worker(workerEnv());
      // The worker took the job (this is its attempt number `round`; the second comes only
      // through the stall the first round faked) and its settlement is blocked. A new waiter
      // alone was not proof: the platform's outbox sweeper also queues behind the dead worker's
      // locks, and a worker killed before its start-up stall check never took the job.
      await eventually(async () => (await redis.hget(`${keys}:${jobId}`, 'ats')) === String(round), `worker ${round} taking the job`, 90_000);
      await eventually(async () => (await waiting()).some((pid) => !before.includes(pid)), `worker ${round} holding the settlement`, 90_000);
      await worker.kill9();
      // Fast-forward BullMQ's clock: the dead worker's lock runs out (30 s), a stall check marks
      // the job as possibly stalled, and the next check is due (every 30 s). Waiting for the real
      // mark instead was a race: it lasts from a check to the next lock renewal, which can be
      // milliseconds. The next worker's start-up check then counts the stall.
      await redis.del(`${keys}:${jobId}:lock`, `${keys}:stalled-check`);
      await redis.sadd(`${keys}:stalled`, jobId);
      expect(await redis.hget(`${keys}:${jobId}`, 'stc')).toBe(round === 1 ? null : '1');
    }
    await hold.rollback();
    hold = undefined;
    await group.worker(workerEnv());
    const job = await tp.running.platform.settlementQueue.getJob(jobId);
    await eventually(async () => ((await job?.getState()) === 'failed' || (await knex('trades').where({ id: trade }).first<{ status: string }>('status'))!.status !== 'pending') || undefined, 'the job failed or the trade settled', 90_000);
    const state = await tp.running.platform.settlementQueue.getJob(jobId).then((j) => j?.getState());
    // Either the trade settles (the sweeper replaces the failed job) or it is a visible dead letter.
    await eventually(
      async () => (await knex('trades').where({ id: trade }).first<{ status: string }>('status'))!.status !== 'pending' || undefined,
      `trade ${trade} settled or dead-lettered (BullMQ job state: ${state})`,
      20_000,
    );
    const deadLetters = (await tp.api('GET', '/api/admin/settlements/dead-letters', tp.operatorToken)).json<Array<{ tradeId: string }>>();
    const status = (await knex('trades').where({ id: trade }).first<{ status: string }>('status'))!.status;
    expect(status === 'settled' || deadLetters.some((d) => d.tradeId === trade)).toBe(true);
  });
});
