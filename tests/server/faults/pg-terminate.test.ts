import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reconcile } from '../../../server/ledger/reconciliation.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { inspectionKnex } from '../support/fault-processes.ts';
import { checkOrders, databaseLevels, databaseQueue, norm, normLevels, settlementCounts, type Attempt, type Level, type OrderBody } from './order-checks.ts';

// Issue 7, fault test 4: PostgreSQL drops the platform's connections (pg_terminate_backend) while
// orders flow. The requests of the batch being written are answered 503 ENGINE_UNAVAILABLE and
// leave nothing behind; the engine rebuilds its books from PostgreSQL and carries on; the books
// equal PostgreSQL and the ledger reconciles.

const C24 = 'CARBON-2024';
const C23 = 'CARBON-2023';
const REF = { [C24]: 62, [C23]: 58 } as const;

let tp: TestPlatform;
let knex: Knex;
let dbName: string;
/** The test's own row locks, released in afterAll too so a failure cannot leave the engine waiting. */
const holds: Knex.Transaction[] = [];

beforeAll(async () => {
  // knex logs "Connection Error: …" for every connection PostgreSQL ends: expected here, by the hundred.
  const log = console.log.bind(console);
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('Connection Error:')) log(...args);
  });
  // Pipelining at every size, so a handful of orders is enough to have batches sent behind a blocked one.
  tp = await startTestPlatform('pg-terminate', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000, OUTBOX_SWEEP_MS: 200, SETTLEMENT_REQUEUE_MS: 2000, ENGINE_PIPELINE_MIN_BATCH: 1 });
  knex = inspectionKnex(tp.config.DATABASE_URL);
  dbName = decodeURIComponent(new URL(tp.config.DATABASE_URL).pathname.slice(1));
});

afterAll(async () => {
  for (const h of holds) await h.rollback().catch(() => {});
  await knex?.destroy();
  await tp?.close();
  vi.restoreAllMocks();
});

/** Every connection the platform holds (server/infra/database.ts names them 'ecorights'), ended by PostgreSQL. */
async function dropPlatformConnections(): Promise<number> {
  const { rows } = await knex.raw<{ rows: Array<{ ended: boolean }> }>(
    `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
      WHERE datname = ? AND pid <> pg_backend_pid() AND application_name = 'ecorights'`,
    [dbName],
  );
  return rows.filter((r) => r.ended).length;
}

/** Platform backends waiting for a lock the given backend holds. */
async function blockedBy(holder: number): Promise<Array<{ pid: number; query: string }>> {
  const { rows } = await knex.raw<{ rows: Array<{ pid: number; query: string }> }>(
    `SELECT pid, query FROM pg_stat_activity WHERE datname = ? AND application_name = 'ecorights' AND ? = ANY(pg_blocking_pids(pid))`,
    [dbName, holder],
  );
  return rows;
}

/** A transaction of the test's own holding one participant's cash account. */
async function holdCash(participantId: string): Promise<{ trx: Knex.Transaction; pid: number }> {
  const trx = await knex.transaction();
  holds.push(trx);
  await trx.raw(`SELECT id FROM accounts WHERE participant_id = ? AND asset = 'CNY' FOR UPDATE`, [participantId]);
  const pid = (await trx.raw<{ rows: Array<{ pid: number }> }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  return { trx, pid };
}

/** Commands the engine holds: waiting for a batch, and in batches sent but not committed. */
const enginePipeline = () => tp.running.platform.engine.pipeline();

/** Cancels the statement a backend is running; its connection stays open. */
async function cancelStatement(pid: number): Promise<void> {
  await knex.raw('SELECT pg_cancel_backend(?)', [pid]);
}

const attempts: Attempt[] = [];
let sequence = 0;

function order(participantId: string, overrides: Partial<OrderBody> = {}): Attempt {
  const n = sequence++;
  const symbol = n % 2 === 0 ? C24 : C23;
  const offset = Math.floor(Math.random() * 25) - 12;
  const body: OrderBody = {
    symbol,
    side: Math.random() < 0.5 ? 'buy' : 'sell',
    type: 'limit',
    price: (REF[symbol] + offset * 0.05).toFixed(2),
    quantity: String(1 + Math.floor(Math.random() * 10)),
    timeInForce: Math.random() < 0.3 ? 'IOC' : 'GTC',
    clientOrderId: `pgt-${n}`,
    ...overrides,
  };
  const attempt: Attempt = { participantId, body };
  attempts.push(attempt);
  return attempt;
}

/** Sends one order in-process with a deadline; records the answer on the attempt. */
async function send(attempt: Attempt, token: string): Promise<Attempt> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 30 s')), 30_000)));
  try {
    const res = await Promise.race([tp.api('POST', '/api/orders', token, attempt.body), deadline]);
    attempt.status = res.statusCode;
    attempt.answer = res.json();
  } catch (error) {
    attempt.error = String(error);
  } finally {
    clearTimeout(timer);
  }
  return attempt;
}

const statusOf = (a: Attempt) => (a.status === undefined ? 'no answer' : `${a.status}${a.status >= 400 ? ` ${(a.answer as { code?: string }).code}` : ''}`);
const histogram = (list: Attempt[]) => list.reduce<Record<string, number>>((acc, a) => ((acc[statusOf(a)] = (acc[statusOf(a)] ?? 0) + 1), acc), {});

describe('PostgreSQL connections dropped mid-batch', () => {
  let traders: Array<{ id: string; token: string }>;
  let hostages: Array<{ id: string; token: string }>;

  beforeAll(async () => {
    traders = await Promise.all(Array.from({ length: 6 }, () => tp.participant('enterprise')));
    hostages = await Promise.all(Array.from({ length: 2 }, () => tp.participant('enterprise')));
    await Promise.all([
      ...traders.flatMap((t) => [tp.deposit(t.id, '2000000.00'), tp.lot(t.id, C24, '1000'), tp.lot(t.id, C23, '1000')]),
      ...hostages.map((h) => tp.deposit(h.id, '100000.00')),
    ]);
  });

  it('answers 503 for the batch blocked in its write and the batches sent behind it; nothing of theirs is left; then carries on', async () => {
    const [hostage] = hostages as [{ id: string; token: string }];
    // The hold keeps batch N waiting inside its write (only the engine's write locks the hostage's
    // cash account: it has no trades to settle); the orders sent meanwhile are matched and sent
    // behind it on the engine's connection, or wait their turn in the queue.
    const hold = await holdCash(hostage.id);
    const blocked = send(order(hostage.id, { side: 'buy', price: '62.00', symbol: C24, timeInForce: 'GTC' }), hostage.token);
    await eventually(async () => (await blockedBy(hold.pid)).length > 0 || undefined, 'batch N waiting inside its write');
    const gathered = [...traders.map((t) => send(order(t.id), t.token)), ...traders.map((t) => send(order(t.id), t.token))];
    await eventually(async () => {
      const p = enginePipeline();
      return p.queued + p.preparing + p.inFlightCommands === gathered.length + 1 || undefined;
    }, 'every order in the engine');
    const behind = enginePipeline().preparing + enginePipeline().inFlightCommands - 1;
    expect(await dropPlatformConnections()).toBeGreaterThan(0);
    await hold.trx.rollback();
    expect(statusOf(await blocked)).toBe('503 ENGINE_UNAVAILABLE');
    const answers = await Promise.all(gathered);
    // Batches sent (or being matched) behind the failed one die with its connection; orders still
    // queued run after the rebuild.
    expect(answers.filter((a) => statusOf(a) === '503 ENGINE_UNAVAILABLE')).toHaveLength(behind);
    expect(Object.keys(histogram(answers)).filter((s) => !['201', '503 ENGINE_UNAVAILABLE'].includes(s))).toEqual([]);
    const summary = await checkOrders(knex, attempts);
    expect(summary.problems).toEqual([]);

    const trader = traders[0]!;
    await eventually(async () => (await send(order(trader.id), trader.token)).status === 201, 'an order accepted after the rebuild');
  });

  it('a batch that fails with its connection still open takes the batches sent behind it down too (the audit-chain link)', async () => {
    const [, hostage] = hostages as [{ id: string; token: string }, { id: string; token: string }];
    const hold = await holdCash(hostage.id);
    const blocked = send(order(hostage.id, { side: 'buy', price: '58.00', symbol: C23, timeInForce: 'GTC' }), hostage.token);
    const [engineBackend] = await eventually(async () => {
      const waiting = await blockedBy(hold.pid);
      return waiting.length > 0 ? waiting : undefined;
    }, 'batch N waiting inside its write');
    const gathered = traders.map((t) => send(order(t.id, { timeInForce: 'GTC' }), t.token));
    await eventually(async () => {
      const p = enginePipeline();
      return p.queued + p.preparing + p.inFlightCommands === gathered.length + 1 || undefined;
    }, 'every order in the engine');
    const behind = enginePipeline().preparing + enginePipeline().inFlightCommands - 1;
    expect(behind).toBeGreaterThan(0);
    // Batch N fails on its own; the statements queued behind it on the same, still open
    // connection then run, and must refuse themselves: their predecessor is not committed.
    await cancelStatement(engineBackend!.pid);
    expect(statusOf(await blocked)).toBe('503 ENGINE_UNAVAILABLE');
    await hold.trx.rollback();
    const answers = await Promise.all(gathered);
    expect(answers.filter((a) => statusOf(a) === '503 ENGINE_UNAVAILABLE')).toHaveLength(behind);
    const summary = await checkOrders(knex, attempts);
    expect(summary.problems).toEqual([]);
    const trader = traders[2]!;
    await eventually(async () => (await send(order(trader.id), trader.token)).status === 201, 'an order accepted after the rebuild');
  });

  it('under load, connections dropped again and again: every 201 is stored whole, every 503 left nothing', { timeout: 90_000 }, async () => {
    const before = attempts.length;
    let created = 0;
    let stop = false;
    const client = async (t: { id: string; token: string }) => {
      for (let i = 0; i < 1500 && !stop; i++) {
        const a = await send(order(t.id), t.token);
        if (a.status === 201) created++;
        // "Retry shortly", as the 503 says: a client backs off while the engine rebuilds.
        else await new Promise((r) => setTimeout(r, 25));
      }
    };
    const load = Promise.all(traders.flatMap((t) => [client(t), client(t)]));
    const drops: number[] = [];
    try {
      for (let round = 0; round < 4; round++) {
        const target = created + 40;
        await eventually(async () => created >= target || undefined, `40 more orders accepted before drop ${round + 1}`, 30_000);
        drops.push(await dropPlatformConnections());
      }
    } finally {
      stop = true;
      await load;
    }
    const mine = attempts.slice(before);
    const seen = histogram(mine);
    console.info(`pg_terminate_backend under load: ${drops.join(', ')} connections dropped per round; answers ${JSON.stringify(seen)}`);
    // Nothing but 201 and retryable refusals, every request answered. A request whose own query
    // (say the clientOrderId lookup) drew a dropped connection answers 503 DATABASE_UNAVAILABLE
    // (db-connection-lost.test.ts); either way a refused order left nothing behind (checkOrders:
    // ENGINE_UNAVAILABLE absent; any other refusal wholly absent or present).
    expect(Object.keys(seen).filter((s) => !['201', '503 ENGINE_UNAVAILABLE', '503 DATABASE_UNAVAILABLE'].includes(s))).toEqual([]);
    const summary = await checkOrders(knex, attempts);
    expect(summary.problems).toEqual([]);

    const trader = traders[1]!;
    await eventually(async () => (await send(order(trader.id), trader.token)).status === 201, 'an order accepted after the last drop');
  });

  it('leaves books equal to PostgreSQL and a ledger that reconciles once settlement drains', { timeout: 90_000 }, async () => {
    for (const symbol of [C24, C23]) {
      const book = (await tp.api('GET', `/api/instruments/${symbol}/book?depth=50`)).json<{ bids: Level[]; asks: Level[] }>();
      expect({ bids: normLevels(book.bids), asks: normLevels(book.asks) }).toEqual(await databaseLevels(knex, symbol));
      // L3: the engine's resting orders in the priority PostgreSQL gives them.
      const resting = tp.running.platform.engine.restingOrders(symbol);
      for (const side of ['buy', 'sell'] as const) {
        const spec = tp.running.platform.instruments.spec(symbol)!;
        const l3 = resting.filter((o) => o.side === side).map((o) => ({ orderId: String(o.orderId), price: norm(spec.ticksToPrice(o.priceTicks)), remaining: norm(spec.lotsToQuantity(o.remainingLots)) }));
        expect(l3, `${symbol} ${side}`).toEqual(await databaseQueue(knex, symbol, side));
      }
    }
    await eventually(async () => (await settlementCounts(knex)).notExactlyOnce.length === 0, 'every trade settled exactly once', 60_000);
    expect(await knex('trades').where({ status: 'failed' }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
    const report = await reconcile(knex);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
