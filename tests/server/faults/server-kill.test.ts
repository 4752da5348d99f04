import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../../server/ledger/reconciliation.ts';
import { eventually } from '../support/test-platform.ts';
import { clearRedisPrefix, ProcessGroup, RemoteApi, scratchDatabase, uniqueName, type ScratchDatabase, type SpawnedServer } from '../support/fault-processes.ts';
import { checkOrders, databaseLevels, databaseQueue, norm, normLevels, settlementCounts, type Attempt, type Level, type OrderAnswer, type OrderBody } from './order-checks.ts';

// Issue 7, fault test 1: kill -9 the server in the middle of a load, restart it on the same
// database. Every 201 is in PostgreSQL with exactly the fills it listed; an order without a 201 is
// wholly there or wholly absent; the restarted books equal the open orders in PostgreSQL, level by
// level and order by order; the ledger reconciles, before and after settlement drains.

const SYMBOLS = { 'CARBON-2024': 62, 'CARBON-2023': 58 } as const;
type Carbon = keyof typeof SYMBOLS;
const TRADERS = 6;
const CONCURRENCY = 16;
const KILL_AFTER = 240; // 201 answers before the kill
const MAX_ORDERS = 3000; // bound on the load if the kill never lands

const group = new ProcessGroup();
const redisUrl = 'redis://127.0.0.1:6379';
const prefix = `test_${uniqueName('kill9')}`;
let db: ScratchDatabase;
let env: Record<string, string>;
let server: SpawnedServer | undefined;

beforeAll(async () => {
  db = await scratchDatabase('kill9');
  env = {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    DEMO: 'auto',
    CLIENT_BUILD: 'off',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    OUTBOX_SWEEP_MS: '200',
    SETTLEMENT_REQUEUE_MS: '2000',
  };
});

afterAll(async () => {
  await group.killAll();
  await db?.drop();
  await clearRedisPrefix(redisUrl, prefix);
});

/** A random limit order around the reference price: 30% IOC, quantities 1–20 tCO2e. */
function randomOrder(n: number): OrderBody {
  const symbol = (Object.keys(SYMBOLS) as Carbon[])[n % 2]!;
  const offset = Math.floor(Math.random() * 33) - 16; // ±0.80 in 0.05 steps: never near the 7% volatility halt
  return {
    symbol,
    side: Math.random() < 0.5 ? 'buy' : 'sell',
    type: 'limit',
    price: (SYMBOLS[symbol] + offset * 0.05).toFixed(2),
    quantity: String(1 + Math.floor(Math.random() * 20)),
    timeInForce: Math.random() < 0.3 ? 'IOC' : 'GTC',
    clientOrderId: `k9-${n}`,
  };
}

describe('kill -9 in the middle of a load', () => {
  it('loses no answered order, leaves no partial one, and restarts with books equal to PostgreSQL', { timeout: 115_000 }, async () => {
    const t0 = Date.now();
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    server = await group.server(env);
    const firstServer = server;
    phase('started');
    const api = new RemoteApi(server.url);
    const operator = await api.login('operator', 'jiangxi-demo-2026');
    const traders = await Promise.all(Array.from({ length: TRADERS }, (_, i) => api.participant(operator, `k9t${i}`)));
    const sweepBuyer = await api.participant(operator, 'k9buyer');
    const sweepSeller = await api.participant(operator, 'k9seller');
    for (const t of traders) {
      await api.deposit(operator, t.id, '5000000.00');
      for (const s of Object.keys(SYMBOLS) as Carbon[]) await api.carbonLot(operator, t.id, s, '2000');
    }
    await api.deposit(operator, sweepBuyer.id, '50000000.00');
    for (const s of Object.keys(SYMBOLS) as Carbon[]) await api.carbonLot(operator, sweepSeller.id, s, '100000');

    phase('funded');
    // The load: CONCURRENCY clients, each sending its next order as soon as the last is answered,
    // until the server is gone. The kill lands when KILL_AFTER orders have been answered 201.
    const attempts: Attempt[] = [];
    let sent = 0;
    let created = 0;
    let inFlight = 0;
    let inFlightAtKill = -1;
    let killing: Promise<void> | undefined;
    const client = async () => {
      for (;;) {
        if (sent >= MAX_ORDERS) return;
        const n = sent++;
        const trader = traders[n % TRADERS]!;
        const attempt: Attempt = { participantId: trader.id, body: randomOrder(n) };
        attempts.push(attempt);
        inFlight++;
        try {
          const reply = await api.call('POST', '/api/orders', { token: trader.token, body: attempt.body, timeoutMs: 30_000 });
          attempt.status = reply.status;
          attempt.answer = reply.body;
        } catch (error) {
          attempt.error = String((error as Error).cause ?? error);
          return; // the server is gone: this client stops
        } finally {
          inFlight--;
        }
        if (attempt.status === 201 && ++created >= KILL_AFTER && !killing) {
          inFlightAtKill = inFlight;
          killing = server!.kill9();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    await killing;
    expect(killing, 'the kill never happened').toBeDefined();
    expect(server.process.signalCode).toBe('SIGKILL');
    // Mid-load: other clients had orders on the wire when the signal landed.
    expect(inFlightAtKill).toBeGreaterThan(0);
    const statuses = attempts.reduce<Record<string, number>>((acc, a) => ((acc[a.status ?? 'no answer'] = (acc[a.status ?? 'no answer'] ?? 0) + 1), acc), {});
    // Before the kill every order is accepted, or refused 503 ENGINE_UNAVAILABLE when its batch
    // failed — today that happens without any fault (a settlement deadlock, see
    // settlement-deadlock.test.ts); checkOrders proves a refused order left nothing.
    const odd = attempts.filter((a) => a.status !== undefined && a.status !== 201 && !(a.status === 503 && (a.answer as { code?: string }).code === 'ENGINE_UNAVAILABLE'));
    expect(
      odd.map((a) => a.status),
      `${JSON.stringify(statuses)} ${JSON.stringify(odd[0]?.answer)}\n${firstServer.output().split('\n').filter((l) => /"level":(50|60)/.test(l)).slice(0, 3).map((l) => l.slice(0, 1500)).join('\n')}`,
    ).toEqual([]);

    phase('killed');
    // Restart on the same database and Redis prefix.
    server = await group.server(env);
    api.base = server.url;
    phase('restarted');

    const summary = await checkOrders(db.knex, attempts);
    expect(summary.problems).toEqual([]);
    expect(summary.answered201).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(summary.answered201 + summary.unavailable503 + summary.unansweredAbsent + summary.unansweredPresent).toBe(attempts.length);
    // Everything in PostgreSQL under these clientOrderIds is accounted for by an attempt.
    const stored = await db.knex('orders').where('client_order_id', 'like', 'k9-%').count<Array<{ count: string }>>('* as count');
    expect(Number(stored[0]!.count)).toBe(summary.answered201 + summary.unansweredPresent);

    // The restarted books equal PostgreSQL's open orders, every instrument, every level.
    const instruments = await api.expect<Array<{ symbol: string; bandLow: string; bandHigh: string }>>(200, 'GET', '/api/instruments');
    for (const { symbol } of instruments) {
      const book = await api.expect<{ bids: Level[]; asks: Level[] }>(200, 'GET', `/api/instruments/${symbol}/book?depth=50`);
      const expected = await databaseLevels(db.knex, symbol);
      expect(expected.bids.length).toBeLessThanOrEqual(50);
      expect(expected.asks.length).toBeLessThanOrEqual(50);
      expect({ symbol, bids: normLevels(book.bids), asks: normLevels(book.asks) }).toEqual({ symbol, ...expected });
    }

    // The ledger reconciles at once (unsettled trades explain their locks) …
    const early = await reconcile(db.knex);
    expect(early.checks.filter((c) => !c.ok)).toEqual([]);

    // … and the queue inside each level is PostgreSQL's priority: a sweep of each side fills the
    // resting orders one by one in exactly that order.
    for (const symbol of Object.keys(SYMBOLS) as Carbon[]) {
      const band = instruments.find((i) => i.symbol === symbol)!;
      for (const [side, sweeper, price] of [
        ['sell', sweepBuyer, band.bandHigh],
        ['buy', sweepSeller, band.bandLow],
      ] as const) {
        const queue = await databaseQueue(db.knex, symbol, side);
        expect(queue.length).toBeGreaterThan(0);
        const total = queue.reduce((sum, o) => sum + Number(o.remaining), 0);
        const body = { symbol, side: side === 'sell' ? 'buy' : 'sell', type: 'limit', price, quantity: String(total), timeInForce: 'IOC', clientOrderId: `k9-sweep-${symbol}-${side}` };
        // A 503 ENGINE_UNAVAILABLE recorded nothing (see settlement-deadlock.test.ts): retried, same clientOrderId.
        let reply = await api.call<OrderAnswer>('POST', '/api/orders', { token: sweeper.token, body });
        for (let retry = 0; retry < 20 && reply.status === 503; retry++) {
          await new Promise((r) => setTimeout(r, 50));
          reply = await api.call<OrderAnswer>('POST', '/api/orders', { token: sweeper.token, body });
        }
        expect(reply.status, reply.text).toBe(201);
        const sweep = reply.body;
        expect(sweep.order.status).toBe('filled');
        const makers = (
          await db.knex.raw<{ rows: Array<{ maker: string; price: string; quantity: string }> }>(
            `SELECT ${side === 'sell' ? 'sell_order_id' : 'buy_order_id'} AS maker, price::text, quantity::text FROM trades
              WHERE ${side === 'sell' ? 'buy_order_id' : 'sell_order_id'} = ? ORDER BY id`,
            [sweep.order.id],
          )
        ).rows;
        expect(makers.map((m) => ({ orderId: m.maker, price: norm(m.price), remaining: norm(m.quantity) })), `${symbol} ${side} queue`).toEqual(queue);
        const after = await api.expect<{ bids: Level[]; asks: Level[] }>(200, 'GET', `/api/instruments/${symbol}/book?depth=50`);
        expect(side === 'sell' ? after.asks : after.bids).toEqual([]);
      }
    }

    phase('checked');
    // Once settlement has drained (a job the dead worker held comes back after BullMQ's stall
    // check), every trade is settled exactly once and the ledger reconciles.
    await eventually(async () => (await settlementCounts(db.knex)).notExactlyOnce.length === 0, 'every trade settled exactly once', 90_000);
    const report = await reconcile(db.knex);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    phase('drained');
    console.info(`kill -9: ${phases.join(', ')}; ${attempts.length} orders sent, ${JSON.stringify(statuses)}, in flight at the kill ${inFlightAtKill}, unanswered but committed ${summary.unansweredPresent}`);
  });
});
