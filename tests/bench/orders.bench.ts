// npm run bench:orders [-- --seconds 20 --connections 50 --participants 50]
//
// Durable order entry over HTTP against the real server, PostgreSQL and Redis, with the two
// ceilings measured in the same run: a bare Fastify route answering the same payload, and
// PostgreSQL's own pgbench -N. Prints a table and a final JSON line.
import { parseArgs } from 'node:util';
import { createKnex, dropDatabase } from '../../server/infra/database.ts';
import { reconcile } from '../../server/ledger/reconciliation.ts';
import { runLoad, percentile, type LoadRequest, type LoadResult } from './support/http-load.ts';
import { clearRedisPrefix, pgbenchTps, startNode } from './support/processes.ts';
import { cpuBetween, machineCores, snapshotCpu, type CpuShare } from './support/cpu-accounting.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    participants: { type: 'string', default: '50' },
    port: { type: 'string', default: '3900' },
  },
});
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const participantCount = Number(args.participants);
const port = Number(args.port);
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ecorights_bench_orders';
const REDIS_PREFIX = 'bench_orders';
const say = (line: string) => process.stderr.write(`[bench:orders] ${line}\n`);

// Deterministic workload: the same run twice sends the same orders.
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Market {
  symbol: string;
  mid: number; // in ticks of 0.01
  qty: (r: number) => string;
  governmentOnly: boolean;
}
const MARKETS: Market[] = [
  { symbol: 'CARBON-2024', mid: 6200, qty: (r) => String(1 + Math.floor(r * 20)), governmentOnly: false },
  { symbol: 'CARBON-2023', mid: 5800, qty: (r) => String(1 + Math.floor(r * 20)), governmentOnly: false },
  { symbol: 'FARMLAND-QTY', mid: 36_850_000, qty: (r) => (0.01 * (1 + Math.floor(r * 10))).toFixed(2), governmentOnly: true },
  { symbol: 'WETLAND', mid: 8_800_000, qty: (r) => (0.01 * (1 + Math.floor(r * 10))).toFixed(2), governmentOnly: true },
];
const price = (ticks: number) => (ticks / 100).toFixed(2);

async function api<T>(origin: string, method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Trader {
  token: string;
  government: boolean;
  resting: string[];
  random: () => number;
}

async function setUpTraders(origin: string): Promise<Trader[]> {
  const login = async (username: string, password: string) => (await api<{ token: string }>(origin, 'POST', '/api/auth/login', null, { username, password })).token;
  const operator = await login('operator', 'jiangxi-demo-2026');
  const traders: Trader[] = [];
  for (let i = 0; i < participantCount; i++) {
    const government = i % 2 === 0;
    const username = `bench${i}`;
    const { participant } = await api<{ participant: { id: string } }>(origin, 'POST', '/api/admin/participants', operator, {
      name: government ? `基准测试县${i}自然资源局` : `基准测试企业${i}有限公司`,
      kind: government ? 'government' : 'enterprise',
      region: '南昌市新建区',
      username,
      password: 'bench-password',
    });
    await api(origin, 'POST', '/api/admin/deposits', operator, { participantId: participant.id, amount: '5000000000.00', reference: `BENCH-${i}` });
    for (const m of MARKETS) {
      if (m.governmentOnly && !government) continue;
      await api(origin, 'POST', '/api/admin/lots', operator, {
        participantId: participant.id,
        indicatorType: m.symbol.startsWith('CARBON') ? 'carbon_sink' : m.symbol === 'WETLAND' ? 'wetland' : 'farmland',
        symbol: m.symbol,
        quantity: m.symbol.startsWith('CARBON') ? '10000000' : '50000.00',
        region: '南昌市新建区',
        sourceProject: '基准测试项目',
        verificationRef: `BENCH-${m.symbol}-${i}`,
        vintage: 2025,
      });
    }
    traders.push({ token: await login(username, 'bench-password'), government, resting: [], random: prng(1000 + i) });
    if ((i + 1) % 10 === 0) say(`participants funded: ${i + 1}/${participantCount}`);
  }
  return traders;
}

/** 20% cancels of a resting order, otherwise a limit order near the mid; 30% of orders cross. */
function nextRequest(t: Trader): LoadRequest {
  const r = t.random;
  if (t.resting.length > 0 && r() < 0.2) {
    const id = t.resting.splice(Math.floor(r() * t.resting.length), 1)[0]!;
    return { method: 'DELETE', path: `/api/orders/${id}`, token: t.token };
  }
  const markets = t.government ? MARKETS : MARKETS.filter((m) => !m.governmentOnly);
  const m = markets[Math.floor(r() * markets.length)]!;
  // Enterprises may buy land indicators but sell only carbon.
  const side = m.governmentOnly && !t.government ? 'buy' : r() < 0.5 ? 'buy' : 'sell';
  const crossing = r() < 0.3;
  const offset = crossing ? -(1 + Math.floor(r() * 30)) : 1 + Math.floor(r() * 60);
  const ticks = side === 'buy' ? m.mid - offset * Math.max(1, Math.round(m.mid / 10_000)) : m.mid + offset * Math.max(1, Math.round(m.mid / 10_000));
  return {
    method: 'POST',
    path: '/api/orders',
    token: t.token,
    body: { symbol: m.symbol, side, type: 'limit', price: price(ticks), quantity: m.qty(r()), timeInForce: 'GTC' },
  };
}

function summarize(name: string, result: LoadResult, expectedRefusals = 0) {
  return {
    name,
    'req/s': Math.round(result.requests / result.seconds),
    'p50 ms': Number(percentile(result.latenciesMs, 50).toFixed(2)),
    'p99 ms': Number(percentile(result.latenciesMs, 99).toFixed(2)),
    'max ms': Number((result.latenciesMs[result.latenciesMs.length - 1] ?? 0).toFixed(2)),
    requests: result.requests,
    errors: result.errors + Object.entries(result.byStatus).filter(([s]) => Number(s) >= 400).reduce((n, [, c]) => n + c, 0) - expectedRefusals,
    'late cancels': expectedRefusals,
  };
}

async function main() {
  await dropDatabase(DATABASE_URL).catch(() => {});
  await clearRedisPrefix(REDIS_PREFIX);
  say('starting the platform (fresh database, demo operator)');
  const server = await startNode('server/main.ts', port, { DATABASE_URL, REDIS_PREFIX, DEMO: 'auto', LOGIN_RATE_LIMIT_PER_MINUTE: '100000', LOT_DIRECT_REGISTRATION: 'on' });
  const knex = createKnex(DATABASE_URL);
  try {
    const traders = await setUpTraders(server.url);
    let acked = 0;
    let lateCancels = 0;
    const onResponse = (u: number, req: LoadRequest, status: number, body: string) => {
      // A cancel that reaches the engine after the order filled is answered 409 ORDER_NOT_OPEN:
      // the market's answer, not a failure of the platform.
      if (req.method === 'DELETE' && status === 409 && (JSON.parse(body) as { code?: string }).code === 'ORDER_NOT_OPEN') lateCancels += 1;
      if (req.method !== 'POST' || status !== 201) return;
      acked += 1;
      const { order } = JSON.parse(body) as { order: { id: string; status: string } };
      if (order.status === 'open' || order.status === 'partially_filled') traders[u % traders.length]!.resting.push(order.id);
    };
    say(`warming up for ${args.warmup} s`);
    await runLoad({ origin: server.url, connections, seconds: Number(args.warmup), next: (u) => nextRequest(traders[u % traders.length]!), onResponse });
    const ordersBefore = Number((await knex('orders').count<Array<{ count: string }>>('* as count'))[0]!.count);
    acked = 0;
    lateCancels = 0;
    say(`measuring ${seconds} s at ${connections} connections`);
    const serverPid = server.process.pid;
    const grouping = ({ pid, comm }: { pid: number; comm: string }) =>
      pid === serverPid ? 'platform server (Node)' : pid === process.pid ? 'load client (this process)' : comm === 'postgres' ? 'PostgreSQL' : comm.startsWith('redis-server') ? 'Redis' : null;
    const cpuBefore = snapshotCpu(grouping);
    const orders = await runLoad({
      origin: server.url,
      connections,
      seconds,
      next: (u) => nextRequest(traders[u % traders.length]!),
      onResponse,
      progress: (done, t) => say(`  ${done} requests in ${t.toFixed(0)} s (${Math.round(done / t)}/s)`),
    });
    const cpuAfter = snapshotCpu(grouping);
    const cpu: CpuShare[] = cpuBefore && cpuAfter ? cpuBetween(cpuBefore, cpuAfter) : [];
    const ordersAfter = Number((await knex('orders').count<Array<{ count: string }>>('* as count'))[0]!.count);
    const orderPosts = acked;
    say('reconciling the ledger');
    const report = await reconcile(knex);
    await server.stop();

    say('measuring the bare Fastify ceiling');
    const bare = await startNode('tests/bench/support/bare-fastify-server.ts', port + 1);
    const bareBody = { symbol: 'CARBON-2024', side: 'buy', type: 'limit', price: '62.00', quantity: '10', timeInForce: 'GTC' };
    const bareResult = await runLoad({ origin: bare.url, connections, seconds: Math.min(seconds, 10), next: () => ({ method: 'POST', path: '/api/orders', body: bareBody, token: 'x' }) });
    await bare.stop();
    say('measuring pgbench -N');
    const pgTps = await pgbenchTps(connections, Math.min(seconds, 10));

    const platformRow = summarize('platform: orders + cancels', orders, lateCancels);
    const bareRow = summarize('bare Fastify route', bareResult);
    console.table([platformRow, bareRow, { name: 'pgbench -N (TPS)', 'req/s': Math.round(pgTps) }]);
    if (cpu.length > 0) {
      // What each request cost, all processes together: the two cores bound req/s at cores / this.
      console.log(`CPU while measuring (${machineCores()} cores, all processes of the machine):`);
      console.table(
        cpu.map((c) => ({
          process: c.group,
          'CPU s': Number(c.cpuSeconds.toFixed(2)),
          cores: Number(c.cores.toFixed(2)),
          'CPU ms per request': Number(((c.cpuSeconds * 1000) / orders.requests).toFixed(3)),
        })),
      );
    }
    for (const check of report.checks) console.log(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}`);
    console.log(`201 answers to POST /api/orders: ${orderPosts}; orders written meanwhile: ${ordersAfter - ordersBefore}`);
    console.log(
      JSON.stringify({
        ordersPerSec: platformRow['req/s'],
        p50Ms: platformRow['p50 ms'],
        p99Ms: platformRow['p99 ms'],
        maxMs: platformRow['max ms'],
        errors: platformRow.errors,
        lateCancels,
        byStatus: orders.byStatus,
        connections,
        bareFastifyRps: bareRow['req/s'],
        pgbenchTps: Math.round(pgTps),
        ratioToPgbench: Number((platformRow['req/s'] / pgTps).toFixed(2)),
        ratioToBareFastify: Number((platformRow['req/s'] / bareRow['req/s']).toFixed(3)),
        acked201: orderPosts,
        ordersInDb: ordersAfter - ordersBefore,
        reconciled: report.ok,
        cpuMsPerRequest: Object.fromEntries(cpu.map((c) => [c.group, Number(((c.cpuSeconds * 1000) / orders.requests).toFixed(3))])),
        coresBusy: Number(cpu.reduce((n, c) => n + c.cores, 0).toFixed(2)),
      }),
    );
    if (!report.ok || orderPosts !== ordersAfter - ordersBefore) process.exitCode = 1;
  } finally {
    await server.stop();
    await knex.destroy();
    await dropDatabase(DATABASE_URL).catch(() => {});
  }
}

await main();
