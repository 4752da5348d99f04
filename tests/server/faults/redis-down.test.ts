import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../../server/ledger/reconciliation.ts';
import { eventually } from '../support/test-platform.ts';
import { privateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { ProcessGroup, RemoteApi, scratchDatabase, uniqueName, type ScratchDatabase, type SpawnedProcess, type SpawnedServer } from '../support/fault-processes.ts';
import { balanceProblems, settlementCounts, type Funding, type OrderAnswer } from './order-checks.ts';

// Issue 7, fault test 2, beyond tests/server/registry/redis-outage.test.ts (one in-process node,
// its own worker): here the API node (server/main.ts, socket.io attached) and the settlement
// worker (server/worker-main.ts) are separate processes on a private Redis that is killed -9
// while the worker is inside a settlement transaction. While Redis is away, trading and every
// REST path that needs no socket keep answering without a 5xx; when Redis comes back empty,
// every trade settles exactly once, the one the worker was holding included.

const C24 = 'CARBON-2024';
const C23 = 'CARBON-2023';
const group = new ProcessGroup();
const prefix = `test_${uniqueName('redisdown')}`;
let redis: PrivateRedis;
let db: ScratchDatabase;
let server: SpawnedServer;
let worker: SpawnedProcess;
let hold: Knex.Transaction | undefined;

beforeAll(async () => {
  redis = await privateRedis();
  await redis.start();
  db = await scratchDatabase('redisdown');
});

afterAll(async () => {
  await hold?.rollback().catch(() => {});
  await group.killAll();
  await redis?.stop();
  await db?.drop();
});

type Who = { id: string; token: string; username: string };

describe('Redis killed while a separate worker settles', () => {
  it('keeps trading and every socket-less REST path up, then settles every trade exactly once', { timeout: 115_000 }, async () => {
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      DEMO: 'auto',
      CLIENT_BUILD: 'off',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      SETTLEMENT_WORKERS: '0',
      OUTBOX_SWEEP_MS: '200',
      SETTLEMENT_REQUEUE_MS: '1000',
    };
    server = await group.server(env);
    const workerStarting = group.worker({ ...env, SETTLEMENT_WORKERS: '2' });
    workerStarting.catch(() => {}); // awaited below
    const api = new RemoteApi(server.url);
    const operator = await api.login('operator', 'jiangxi-demo-2026');
    const regulator = await api.login('regulator', 'jiangxi-demo-2026');
    const [s1, s2, b1, b2, hostageSeller, hostage] = await Promise.all(['rds1', 'rds2', 'rdb1', 'rdb2', 'rdhs', 'rdh'].map((l) => api.participant(operator, l)));
    const sellers = [s1!, s2!];
    const buyers = [b1!, b2!];
    const funding = new Map<string, Funding>();
    await Promise.all([
      ...[...sellers, hostageSeller!].flatMap((s) => [api.carbonLot(operator, s.id, C24, '1000'), api.carbonLot(operator, s.id, C23, '1000')]),
      ...buyers.map((b) => api.deposit(operator, b.id, '1000000.00')),
      api.deposit(operator, hostage!.id, '10000.00'),
      api.carbonLot(operator, hostage!.id, C23, '5'),
    ]);
    for (const s of [...sellers, hostageSeller!]) funding.set(s.id, { cash: '0', holdings: { [C24]: '1000', [C23]: '1000' } });
    for (const b of buyers) funding.set(b.id, { cash: '1000000.00', holdings: {} });
    funding.set(hostage!.id, { cash: '10000.00', holdings: { [C23]: '5' } });

    /** An order; a 503 ENGINE_UNAVAILABLE (nothing recorded, see settlement-deadlock.test.ts) is retried with the same clientOrderId. */
    const place = async (who: Who, body: Record<string, unknown>) => {
      const order = { type: 'limit', timeInForce: 'GTC', clientOrderId: `rd-${randomBytes(5).toString('hex')}`, ...body };
      for (let attempt = 0; ; attempt++) {
        const reply = await api.call<OrderAnswer>('POST', '/api/orders', { token: who.token, body: order, timeoutMs: 15_000 });
        if (attempt >= 20 || reply.status !== 503 || (reply.body as unknown as { code?: string }).code !== 'ENGINE_UNAVAILABLE') return reply;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    /** Crossing trades between our sellers and buyers: each resting sell of 2 is taken by an IOC buy. */
    const trade = async (symbol: string, price: string, count: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const seller = sellers[i % 2]!;
        const buyer = buyers[i % 2]!;
        const sell = await place(seller, { symbol, side: 'sell', price, quantity: '2' });
        const buy = await place(buyer, { symbol, side: 'buy', price, quantity: '2', timeInForce: 'IOC' });
        expect([sell.status, buy.status], `${sell.text} ${buy.text}`).toEqual([201, 201]);
        ids.push(...buy.body.fills.map((f) => f.tradeId));
      }
      return ids;
    };

    // Settlement running normally first.
    worker = await workerStarting;
    const before = await trade(C24, '62.00', 10);
    const settled = async (ids: string[]) =>
      Number((await db.knex('trades').whereIn('id', ids).where({ status: 'settled' }).count<Array<{ count: string }>>('* as count'))[0]!.count) === ids.length;
    await eventually(() => settled(before), 'the first trades settled', 30_000);

    // The worker is held inside the hostage trade's settlement transaction by a row lock of ours.
    hold = await db.knex.transaction();
    await hold.raw(`SELECT id FROM accounts WHERE participant_id = ? AND asset = ? FOR UPDATE`, [hostage!.id, C23]);
    const holder = (await hold.raw<{ rows: Array<{ pid: number }> }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    expect((await place(hostageSeller!, { symbol: C23, side: 'sell', price: '58.00', quantity: '1' })).status).toBe(201);
    const held = await place(hostage!, { symbol: C23, side: 'buy', price: '58.00', quantity: '1', timeInForce: 'IOC' });
    expect(held.status).toBe(201);
    const heldTrade = held.body.fills[0]!.tradeId;
    await eventually(
      async () => (await db.knex.raw<{ rows: unknown[] }>(`SELECT pid FROM pg_stat_activity WHERE datname = ? AND ? = ANY(pg_blocking_pids(pid))`, [db.name, holder])).rows.length > 0,
      'the worker blocked inside the hostage settlement',
      30_000,
    );

    await redis.stop();

    // Trading goes on: orders are journalled in PostgreSQL, their settlement waits in the outbox.
    const during = await trade(C23, '58.00', 8);
    const resting = await place(b1!, { symbol: C24, side: 'buy', price: '61.00', quantity: '3' });
    expect(resting.status).toBe(201);
    const answers: Array<{ what: string; status: number }> = [];
    const note = async (what: string, call: Promise<{ status: number }>) => {
      const { status } = await call;
      answers.push({ what, status });
      return status;
    };
    await note('amend', api.call('PATCH', `/api/orders/${resting.body.order.id}`, { token: b1!.token, body: { quantity: '2' } }));
    await note('cancel', api.call('DELETE', `/api/orders/${resting.body.order.id}`, { token: b1!.token }));
    await note('login', api.call('POST', '/api/auth/login', { body: { username: b2!.username, password: 'fault-test-pass' } }));
    await note('deposit', api.call('POST', '/api/admin/deposits', { token: operator, body: { participantId: b2!.id, amount: '5000.00', reference: `RD-${randomBytes(4).toString('hex')}` } }));
    funding.get(b2!.id)!.cash = '1005000.00';
    await note('lot', api.call('POST', '/api/admin/lots', {
      token: operator,
      body: { participantId: s2!.id, indicatorType: 'carbon_sink', symbol: C23, quantity: '10', region: '吉安市遂川县', sourceProject: '故障测试碳汇项目', verificationRef: `RD-${randomBytes(4).toString('hex')}`, vintage: 2023 },
    }));
    funding.get(s2!.id)!.holdings[C23] = '1010';
    await note('retire', api.call('POST', '/api/registry/retirements', { token: b1!.token, body: { symbol: C24, quantity: '1', beneficiary: '故障测试受益人', reason: 'Redis 故障期间注销', requestId: `rd-${randomBytes(4).toString('hex')}` } }));
    funding.get(b1!.id)!.holdings[C24] = '-1'; // what it bought comes on top, from the trades
    await note('halt', api.call('POST', '/api/regulator/instruments/FARMLAND-GRAIN/halt', { token: regulator, body: { reason: 'Redis 故障演练' } }));
    await note('resume', api.call('POST', '/api/regulator/instruments/FARMLAND-GRAIN/resume', { token: regulator, body: { reason: 'Redis 故障演练结束' } }));
    await note('participant', api.call('POST', '/api/admin/participants', { token: operator, body: { name: '故障期间新会员有限公司', kind: 'enterprise', region: '南昌市红谷滩区', username: `rdnew_${randomBytes(3).toString('hex')}`, password: 'fault-test-pass' } }));

    // Every GET of the API, with each role's token, concrete parameters: no 5xx, no hang.
    const openapi = await api.expect<{ paths: Record<string, Record<string, unknown>> }>(200, 'GET', '/docs/json');
    const lot = await db.knex('lots').where({ participant_id: s1!.id }).first<{ id: string }>('id');
    const action = await db.knex('registry_actions').where({ participant_id: b1!.id }).first<{ id: string } | undefined>('id');
    const params: Record<string, string> = { symbol: C24, tradeId: before[0]!, id: resting.body.order.id };
    const idFor = (path: string) => (path.startsWith('/api/lots/') ? lot!.id : path.startsWith('/api/registry/actions/') ? (action?.id ?? '1') : params.id!);
    const gets = Object.entries(openapi.paths).filter(([, ops]) => 'get' in ops).map(([path]) => path);
    expect(gets.length).toBeGreaterThan(25);
    for (const path of gets) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'id' ? idFor(path) : params[name] ?? '1'));
      for (const [role, token] of [['anonymous', null], ['participant', b1!.token], ['regulator', regulator], ['operator', operator]] as const) {
        answers.push({ what: `GET ${url} as ${role}`, status: (await api.call('GET', url, { token, timeoutMs: 10_000 })).status });
      }
    }
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.filter((a) => ['amend', 'cancel', 'login', 'deposit', 'lot', 'retire', 'halt', 'resume', 'participant'].includes(a.what)).map((a) => [a.what, a.status])).toEqual([
      ['amend', 200],
      ['cancel', 200],
      ['login', 200],
      ['deposit', 201],
      ['lot', 201],
      ['retire', 201],
      ['halt', 200],
      ['resume', 200],
      ['participant', 201],
    ]);
    expect(server.process.exitCode).toBeNull();
    expect(worker.process.exitCode).toBeNull();

    // The held settlement finishes its transaction while Redis is still away; its job cannot be
    // marked done. Then Redis comes back empty: the sweeper sends what is pending again.
    await hold.rollback();
    hold = undefined;
    await eventually(() => settled([heldTrade]), 'the held settlement committed without Redis', 30_000);
    await redis.start();
    const all = [...before, heldTrade, ...during];
    await eventually(() => settled(all), 'every trade settled once Redis is back', 60_000);
    expect(await api.expect<{ status: string }>(200, 'GET', '/api/health')).toMatchObject({ status: 'ok' });
    // New trades settle too: the worker's connections came back.
    const after = await trade(C24, '62.00', 3);
    await eventually(() => settled(after), 'trades made after the outage settled', 30_000);

    const counts = await settlementCounts(db.knex);
    expect(counts.notExactlyOnce).toEqual([]);
    expect(await balanceProblems(db.knex, funding)).toEqual([]);
    const report = await reconcile(db.knex);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    console.info(`redis down: ${answers.length} requests answered during the outage, statuses ${JSON.stringify(answers.reduce<Record<number, number>>((acc, a) => ((acc[a.status] = (acc[a.status] ?? 0) + 1), acc), {}))}`);
  });
});
