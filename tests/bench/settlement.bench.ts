// npm run bench:settlement [-- --trades 20000]
//
// Settles N trades already waiting in the outbox (and on the queue) with 1 and then 2 worker
// processes against the real PostgreSQL and Redis; prints trades/s and the p99 time a settlement
// job takes, with PostgreSQL's own pgbench -N TPS measured in the same run for scale. The clock
// starts once the worker processes are connected; withStartupTradesPerSec counts their start too.
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../server/config.ts';
import { dropDatabase, ensureDatabase } from '../../server/infra/database.ts';
import { startPlatform } from '../../server/platform-factory.ts';
import { createStaffUser } from '../../server/admin/participants.ts';
import { reconcile } from '../../server/ledger/reconciliation.ts';
import { SETTLEMENT_QUEUE } from '../../server/settlement/settlement-queue.ts';
import { percentile } from './support/http-load.ts';
import { pgbenchTps } from './support/processes.ts';

const { values: args } = parseArgs({ options: { trades: { type: 'string', default: '20000' } } });
const tradesPerRun = Number(args.trades);
const say = (line: string) => process.stderr.write(`[bench:settlement] ${line}\n`);
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ecorights_bench_settlement';
const REDIS_PREFIX = 'bench_settlement';

const config = loadConfig({}, { DATABASE_URL, REDIS_PREFIX, DEMO: 'off', CLIENT_BUILD: 'off', PORT: 0, LOG_LEVEL: 'silent', SETTLEMENT_WORKERS: 0, LOGIN_RATE_LIMIT_PER_MINUTE: 1_000_000, LOT_DIRECT_REGISTRATION: 'on' });
await dropDatabase(DATABASE_URL).catch(() => {});
await ensureDatabase(DATABASE_URL);
const redis = new Redis(config.REDIS_URL);
const stale = await redis.keys(`${REDIS_PREFIX}:*`);
if (stale.length > 0) await redis.del(...stale);
const running = await startPlatform(config, { logger: false });
const { knex, engine, instruments } = running.platform;
await knex.transaction((trx) => createStaffUser(trx, 'operator', 'bench-password', 'operator'));

const api = async (method: 'POST' | 'GET', url: string, token: string | null, payload?: object) => {
  const res = await running.app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json<Record<string, unknown>>();
};
const operator = (await api('POST', '/api/auth/login', null, { username: 'operator', password: 'bench-password' })).token as string;
const SELLERS = 40;
const sellers: string[] = [];
const buyers: string[] = [];
for (let i = 0; i < SELLERS + 10; i++) {
  const seller = i < SELLERS;
  const created = (await api('POST', '/api/admin/participants', operator, { name: `结算基准${i}`, kind: 'enterprise', region: '南昌市', username: `settle${i}`, password: 'bench-password' })) as {
    participant: { id: string };
  };
  const id = created.participant.id;
  await api('POST', '/api/admin/deposits', operator, { participantId: id, amount: '1000000000.00', reference: `SB-${i}` });
  if (seller) {
    await api('POST', '/api/admin/lots', operator, { participantId: id, indicatorType: 'carbon_sink', symbol: 'CARBON-2024', quantity: '5000000', region: '吉安市', sourceProject: '基准', verificationRef: `SB-LOT-${i}`, vintage: 2024 });
    sellers.push(id);
  } else buyers.push(id);
}
const actor = { userId: '1', username: 'bench' };

/** Rests one-lot asks from many sellers, then sweeps them with buys from every buyer: one trade per ask. */
async function makeTrades(count: number): Promise<void> {
  const spec = instruments.spec('CARBON-2024')!;
  const priceTicks = spec.referenceTicks;
  let made = 0;
  while (made < count) {
    const chunk = Math.min(1000, count - made);
    await Promise.all(
      Array.from({ length: chunk }, (_, i) =>
        engine.submit({ kind: 'place', actor, participantId: sellers[i % SELLERS]!, participantKind: 'enterprise', symbol: 'CARBON-2024', side: 'sell', type: 'limit', priceTicks, qtyLots: 1, tif: 'GTC', clientOrderId: null }),
      ),
    );
    // Every buyer sweeps a share of the asks, so trades spread over buyers as over sellers.
    const share = Math.ceil(chunk / buyers.length);
    for (let b = 0, left = chunk; left > 0; b++, left -= share) {
      const qtyLots = Math.min(share, left);
      const buy = await engine.submit({ kind: 'place', actor, participantId: buyers[b]!, participantKind: 'enterprise', symbol: 'CARBON-2024', side: 'buy', type: 'limit', priceTicks, qtyLots, tif: 'IOC', clientOrderId: null });
      if (!buy.ok) throw buy.error;
    }
    made += chunk;
    say(`  trades in the outbox: ${made}/${count}`);
  }
}

const pending = async () => Number((await knex('trades').where({ status: 'pending' }).count<Array<{ count: string }>>('* as count'))[0]!.count);

async function runWorkers(workers: number) {
  await makeTrades(tradesPerRun);
  const queue = new Queue(SETTLEMENT_QUEUE, { connection: redis, prefix: REDIS_PREFIX });
  // Let the relay hand every trade to the queue before the clock starts.
  while ((await queue.getWaitingCount()) < tradesPerRun) await new Promise((r) => setTimeout(r, 50));
  // The clock measures settlement, not Node starting up and compiling TypeScript: the queue is
  // paused until every worker process has connected (the start-up time is reported apart).
  await queue.pause();
  const spawnedAt = Date.now();
  // BENCH_NODE_ARGS (e.g. --cpu-prof) profiles the workers without changing the benchmark.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const children = Array.from({ length: workers }, () =>
    spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/worker-main.ts'], { env: { ...process.env, DATABASE_URL, REDIS_PREFIX, SETTLEMENT_WORKERS: '1', LOG_LEVEL: 'warn' }, stdio: 'inherit' }),
  );
  while ((await queue.getWorkersCount()) < workers) await new Promise((r) => setTimeout(r, 20));
  const startupSeconds = (Date.now() - spawnedAt) / 1000;
  say(`  ${workers} worker(s) connected after ${startupSeconds.toFixed(1)} s; settling`);
  const started = Date.now();
  await queue.resume();
  let left = await pending();
  while (left > 0) {
    await new Promise((r) => setTimeout(r, 250));
    left = await pending();
    say(`  ${workers} worker(s): ${tradesPerRun - left}/${tradesPerRun} settled after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const seconds = (Date.now() - started) / 1000;
  const withStartup = seconds + startupSeconds;
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  const jobs = await queue.getCompleted(0, tradesPerRun);
  const durations = Float64Array.from(jobs.filter((j) => j.processedOn && j.finishedOn).map((j) => j.finishedOn! - j.processedOn!)).sort();
  await queue.obliterate({ force: true });
  await queue.close();
  return {
    workers,
    tradesPerSec: Math.round(tradesPerRun / seconds),
    seconds: Number(seconds.toFixed(2)),
    p50JobMs: percentile(durations, 50),
    p99JobMs: percentile(durations, 99),
    startupS: Number(startupSeconds.toFixed(2)),
    withStartupTradesPerSec: Math.round(tradesPerRun / withStartup),
  };
}

try {
  const one = await runWorkers(1);
  const two = await runWorkers(2);
  say('measuring pgbench -N');
  const pgTps = await pgbenchTps(16, 10);
  const report = await reconcile(knex);
  console.table([one, two, { workers: 'pgbench -N (TPS)', tradesPerSec: Math.round(pgTps) }]);
  for (const check of report.checks) console.log(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}`);
  console.log(
    JSON.stringify({
      trades: tradesPerRun,
      oneWorkerTradesPerSec: one.tradesPerSec,
      twoWorkersTradesPerSec: two.tradesPerSec,
      p99JobMs1: one.p99JobMs,
      p99JobMs2: two.p99JobMs,
      oneWorkerWithStartupTradesPerSec: one.withStartupTradesPerSec,
      twoWorkersWithStartupTradesPerSec: two.withStartupTradesPerSec,
      pgbenchTps: Math.round(pgTps),
      reconciled: report.ok,
    }),
  );
  if (!report.ok) process.exitCode = 1;
} finally {
  await running.close();
  redis.disconnect();
  await dropDatabase(DATABASE_URL).catch(() => {});
}
