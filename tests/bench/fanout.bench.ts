// Fan-out benchmark (not a test): N socket.io clients subscribed to one symbol while orders trade
// at a steady rate, measuring the time from a trade's commit to its receipt by each client.
//
//   npm run bench:fanout                              # 1,000 clients, 500 trades/s, 20 s (+3 s warm-up)
//   npm run bench:fanout -- --clients 200 --rate 100 --seconds 10
//   --channels trade            subscribe to trades only (default: book,trade,ticker)
//   --procs 2                   client processes sharing the clients (default 2)
//   --client wire               lean clients speaking the socket.io wire protocol themselves
//                               (fanout-wire-client.ts; default socket.io: socket.io-client)
//   --sweep 5                   trades per order: each buy sweeps 5 resting one-lot asks (default 1:
//                               one order per trade; a sweep leaves more CPU to the fan-out)
//   --baseline                  the same clients and message shapes from a bare socket.io server
//                               (no platform): the floor this machine puts under any fan-out
//   --fanout-node               serve the clients from a second platform node (own process, same
//                               database and Redis prefix): trades travel node → Redis → node
//   LIVE_TRADE_INTERVAL_MS=10   (environment, server/config.ts) least time between two trade messages of a symbol
//   LIVE_BOOK_INTERVAL_MS=50    (environment, server/config.ts) least time between two book snapshots of a symbol
//
// The platform runs in this process against its own PostgreSQL database and Redis prefix (as a
// test does), with its settlement worker on. Orders enter through the HTTP routes in-process
// (Fastify inject): each is an IOC buy of `sweep` lots against resting one-lot asks placed
// beforehand (or one large ask when sweep is 1), so one order makes `sweep` trades. The server stamps every trade with `committedAt` when the commit returns; clients in
// child processes subtract it from their receipt time: both read the same machine clock.
// Prints progress on stderr, a table and one JSON line on stdout; exits 1 if p99 misses the target.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { Server } from 'socket.io';
import { startTestPlatform, type TestPlatform } from '../server/support/test-platform.ts';
import type { ChildMessage, ClientKind, ParentMessage } from './fanout-clients.ts';
import type { NodeMessage } from './fanout-node.ts';
import { Histogram } from './fanout-histogram.ts';

interface Args {
  clients: number;
  rate: number;
  seconds: number;
  warmup: number;
  procs: number;
  channels: string[];
  symbol: string;
  targetP99: number;
  sweep: number;
  fanoutNode: boolean;
  baseline: boolean;
  client: ClientKind;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { clients: 1000, rate: 500, seconds: 20, warmup: 3, procs: 2, channels: ['book', 'trade', 'ticker'], symbol: 'CARBON-2024', targetP99: 50, sweep: 1, fanoutNode: false, baseline: false, client: 'socket.io' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    if (k === '--fanout-node' || k === '--baseline') {
      if (k === '--fanout-node') a.fanoutNode = true;
      else a.baseline = true;
      continue;
    }
    const v = argv[++i];
    if (v === undefined) throw new Error(`${k} needs a value`);
    if (k === '--client') {
      if (v !== 'socket.io' && v !== 'wire') throw new Error('--client must be socket.io or wire');
      a.client = v;
      continue;
    }
    const n = Number(v);
    if (k === '--clients') a.clients = n;
    else if (k === '--rate') a.rate = n;
    else if (k === '--seconds') a.seconds = n;
    else if (k === '--warmup') a.warmup = n;
    else if (k === '--procs') a.procs = n;
    else if (k === '--channels') a.channels = v.split(',');
    else if (k === '--symbol') a.symbol = v;
    else if (k === '--target-p99') a.targetP99 = n;
    else if (k === '--sweep') a.sweep = n;
    else throw new Error(`unknown argument ${k}; see the header of tests/bench/fanout.bench.ts`);
    if (k !== '--channels' && k !== '--symbol' && !(n > 0)) throw new Error(`${k} must be a positive number`);
  }
  return a;
}

const now = (): number => performance.timeOrigin + performance.now();
const say = (line: string) => process.stderr.write(`${line}\n`);
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

class ClientProcess {
  readonly child: ChildProcess;
  private waiters = new Map<string, (m: ChildMessage) => void>();
  lastTick: Extract<ChildMessage, { type: 'tick' }> = { type: 'tick', receipts: 0, messages: 0, gaps: 0, p99: NaN };

  constructor() {
    this.child = fork(fileURLToPath(new URL('./fanout-clients.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: ChildMessage) => {
      if (m.type === 'tick') this.lastTick = m;
      if (m.type === 'error') {
        say(`client process failed: ${m.message}`);
        process.exit(2);
      }
      const w = this.waiters.get(m.type);
      if (w) {
        this.waiters.delete(m.type);
        w(m);
      }
    });
  }

  send(m: ParentMessage): void {
    this.child.send(m);
  }

  next<T extends ChildMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve) => this.waiters.set(type, resolve as (m: ChildMessage) => void));
  }
}

/** What produces the trades: the real platform, or a bare socket.io server for comparison. */
interface Driver {
  url: string;
  /** Submits whatever is due `elapsedMs` after the start. */
  tick(elapsedMs: number): void;
  committed(): number;
  committedMeasured(): number;
  inFlight(): number;
  refused(): number;
  maxInFlight(): number;
  /** Resolves once nothing submitted is still waiting for its answer. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

async function platformDriver(args: Args, total: number, measureAt: () => number): Promise<Driver> {
  say('starting the platform (own database and Redis prefix)');
  const tp: TestPlatform = await startTestPlatform('bench-fanout');
  let fanoutNode: ChildProcess | undefined;
  const close = async () => {
    if (fanoutNode && fanoutNode.exitCode === null) {
      const exited = new Promise((r) => fanoutNode!.once('exit', r));
      fanoutNode.send({ type: 'stop' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (fanoutNode.exitCode === null) fanoutNode.kill();
    }
    await tp.close();
  };
  try {
    let url = await tp.running.listen();
    if (args.fanoutNode) {
      say('starting the fan-out node');
      fanoutNode = fork(fileURLToPath(new URL('./fanout-node.ts', import.meta.url)), [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, DATABASE_URL: tp.config.DATABASE_URL, REDIS_URL: tp.config.REDIS_URL, REDIS_PREFIX: tp.config.REDIS_PREFIX },
      });
      const reply = await new Promise<NodeMessage>((resolve) => fanoutNode!.once('message', resolve));
      if (reply.type !== 'listening') throw new Error(`fan-out node failed: ${reply.message}`);
      url = reply.url;
    }
    const instruments = (await tp.api('GET', '/api/instruments')).json<Array<{ symbol: string; referencePrice: string; lotSize: string }>>();
    const instrument = instruments.find((i) => i.symbol === args.symbol);
    if (!instrument) throw new Error(`no instrument ${args.symbol}`);
    const price = instrument.referencePrice;
    const lot = instrument.lotSize;
    const trades = Math.ceil(args.rate * total * 1.3) + 100;
    const orderQuantity = String(Number(lot) * Math.max(1, args.sweep));
    const orderRate = args.rate / Math.max(1, args.sweep);
    const seller = await tp.participant('enterprise', '基准卖方有限公司');
    const buyer = await tp.participant('enterprise', '基准买方有限公司');
    await tp.lot(seller.id, args.symbol, String(Number(lot) * trades));
    await tp.deposit(buyer.id, (Number(price) * Number(lot) * trades * 1.01 + 1_000_000).toFixed(2));
    if (args.sweep <= 1) {
      const ask = await tp.api('POST', '/api/orders', seller.token, { symbol: args.symbol, side: 'sell', type: 'limit', price, quantity: String(Number(lot) * trades), timeInForce: 'GTC' });
      if (ask.statusCode !== 201) throw new Error(`resting ask refused: ${ask.body}`);
    } else {
      say(`placing ${trades} one-lot asks`);
      let placed = 0;
      const placeOne = async (): Promise<void> => {
        while (placed < trades) {
          placed += 1;
          const res = await tp.api('POST', '/api/orders', seller.token, { symbol: args.symbol, side: 'sell', type: 'limit', price, quantity: lot, timeInForce: 'GTC' });
          if (res.statusCode !== 201) throw new Error(`resting ask refused: ${res.body}`);
        }
      };
      await Promise.all(Array.from({ length: 200 }, placeOne));
    }

    let sent = 0;
    let committed = 0;
    let committedMeasured = 0;
    let refused = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const submit = () => {
      sent += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      void tp
        .api('POST', '/api/orders', buyer.token, { symbol: args.symbol, side: 'buy', type: 'limit', price, quantity: orderQuantity, timeInForce: 'IOC' })
        .then((res) => {
          inFlight -= 1;
          const fills = res.statusCode === 201 ? res.json<{ fills: unknown[] }>().fills.length : 0;
          if (fills === 0) refused += 1;
          committed += fills;
        });
    };
    // Counted where the live layer stamps committedAt (the bus event after the commit), by the
    // same rule the clients measure by: committed at or after the start of the measured window.
    tp.running.platform.bus.on('trade', () => {
      if (now() >= measureAt()) committedMeasured += 1;
    });
    return {
      url,
      tick: (elapsedMs) => {
        const due = Math.floor((elapsedMs / 1000) * orderRate);
        while (sent < due) submit();
      },
      committed: () => committed,
      committedMeasured: () => committedMeasured,
      inFlight: () => inFlight,
      refused: () => refused,
      maxInFlight: () => maxInFlight,
      settle: async () => {
        while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The same clients and message shapes from a bare socket.io server (no database, engine, Redis
 * or platform): trades "commit" on a fixed schedule and go out every tradeIntervalMs, books every
 * bookIntervalMs, tickers every 250 ms. What this measures is the floor this machine puts under
 * any socket.io fan-out, to read the platform's figures against.
 */
async function baselineDriver(args: Args, measureAt: () => number): Promise<Driver> {
  say('starting a bare socket.io server (baseline: no platform)');
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  const market = io.of('/market');
  market.on('connection', (socket) => {
    socket.on('subscribe', async (payload: { symbol: string; channels?: string[] }, ack: (r: unknown) => void) => {
      await socket.join((payload.channels ?? ['book', 'trade', 'ticker']).map((c) => `${c}:${payload.symbol}`));
      ack({ ok: true, symbol: payload.symbol, streams: {} });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address() as AddressInfo;
  const tradeInterval = Number(process.env.LIVE_TRADE_INTERVAL_MS ?? 10);
  const bookInterval = Number(process.env.LIVE_BOOK_INTERVAL_MS ?? 50);
  const epoch = 'baseline';
  const symbol = args.symbol;
  let start = NaN;
  let generated = 0;
  let committedMeasured = 0;
  const pending: object[] = [];
  const seq = { trade: 0, ticker: 0, book: 0 };
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => void) => timers.push(setInterval(fn, Math.max(1, ms)));
  every(tradeInterval, () => {
    if (pending.length === 0) return;
    const trades = pending.splice(0);
    market.to(`trade:${symbol}`).emit('trade', { stream: `trade:${symbol}`, epoch, sequence: ++seq.trade, symbol, trade: trades[trades.length - 1], trades });
  });
  every(bookInterval, () => {
    const prevSequence = seq.book === 0 ? null : seq.book;
    seq.book += 7;
    const level = { price: '62.00', quantity: String(100_000 - generated), orders: 1 };
    market.to(`book:${symbol}`).emit('book', { stream: `book:${symbol}`, epoch, sequence: seq.book, prevSequence, symbol, bids: [], asks: [level] });
  });
  every(250, () => {
    market.to(`ticker:${symbol}`).emit('ticker', { stream: `ticker:${symbol}`, epoch, sequence: ++seq.ticker, symbol, lastPrice: '62.00', changePct: '0.00', dayVolume: String(generated), dayValue: (generated * 62).toFixed(2), dayTrades: generated, bestBid: null, bestAsk: '62.00', at: new Date().toISOString() });
  });
  return {
    url: `http://127.0.0.1:${address.port}`,
    tick: (elapsedMs) => {
      if (Number.isNaN(start)) start = now() - elapsedMs;
      const due = Math.floor((elapsedMs / 1000) * args.rate);
      while (generated < due) {
        // The trade "commits" at its scheduled time and waits for the next trade message.
        const committedAt = start + (generated * 1000) / args.rate;
        generated += 1;
        if (committedAt >= measureAt()) committedMeasured += 1;
        pending.push({ id: String(generated), symbol, price: '62.00', quantity: '1', amount: '62.00', aggressorSide: 'buy', executedAt: new Date(committedAt).toISOString(), committedAt });
      }
    },
    committed: () => generated,
    committedMeasured: () => committedMeasured,
    inFlight: () => 0,
    refused: () => 0,
    maxInFlight: () => 0,
    settle: async () => {},
    close: async () => {
      for (const t of timers) clearInterval(t);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const total = args.warmup + args.seconds;
  say(`fan-out: ${args.clients} clients on ${args.symbol} (${args.channels.join(',')}), ${args.rate} trades/s for ${args.seconds} s after ${args.warmup} s warm-up`);
  let measureFrom = Infinity;
  const driver = args.baseline ? await baselineDriver(args, () => measureFrom) : await platformDriver(args, total, () => measureFrom);
  const procs: ClientProcess[] = [];
  try {
    const url = driver.url;
    say(`connecting ${args.clients} clients from ${args.procs} processes`);
    const t0 = Date.now();
    for (let i = 0; i < args.procs; i++) procs.push(new ClientProcess());
    const shares = procs.map((_, i) => Math.floor(args.clients / args.procs) + (i < args.clients % args.procs ? 1 : 0));
    const connected = procs.map((p) => p.next('connected'));
    procs.forEach((p, i) => p.send({ type: 'start', url, symbol: args.symbol, count: shares[i]!, channels: args.channels, client: args.client }));
    const counts = await Promise.all(connected);
    say(`  ${counts.reduce((s, c) => s + c.count, 0)} clients connected and subscribed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // The clocks are one clock; say how far apart the processes read it (IPC round trip bounds it).
    let offset = 0;
    let spread = Infinity;
    for (let i = 0; i < 20; i++) {
      const p = procs[i % procs.length]!;
      const reply = p.next('clock');
      const t = now();
      p.send({ type: 'clock', t });
      const r = await reply;
      const back = now();
      if (back - t < spread) {
        spread = back - t;
        offset = r.child - (t + back) / 2;
      }
    }
    say(`  clock check: child − parent ≈ ${offset.toFixed(3)} ms (± ${(spread / 2).toFixed(3)} ms)`);

    // Load: every 10 ms, what is due by now, without waiting for earlier answers.
    const start = now();
    measureFrom = start + args.warmup * 1000;
    const end = measureFrom + args.seconds * 1000;
    procs.forEach((p) => p.send({ type: 'measure', from: measureFrom }));
    procs.forEach((p) => p.send({ type: 'cpu' }));
    const cpuAtStart = process.cpuUsage();
    const loadAtStart = loadavg()[0]!;
    // The server shares this event loop: how long it was blocked says where latency comes from.
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const loopDelayAll = monitorEventLoopDelay({ resolution: 5 });
    loopDelayAll.enable();
    let lastSecond = 0;
    let lastCommitted = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const t = now();
        if (t >= end) return resolve();
        driver.tick(t - start);
        const second = Math.floor((t - start) / 1000);
        if (second !== lastSecond) {
          lastSecond = second;
          const receipts = procs.reduce((s, p) => s + p.lastTick.receipts, 0);
          const gaps = procs.reduce((s, p) => s + p.lastTick.gaps, 0);
          const p99 = Math.max(...procs.map((p) => p.lastTick.p99).filter(Number.isFinite), NaN);
          const committed = driver.committed();
          say(
            `  ${String(second).padStart(3)} s ${second <= args.warmup ? '(warm-up)' : '         '}  trades ${String(committed).padStart(6)} (${committed - lastCommitted}/s)` +
              `  receipts ${String(receipts).padStart(9)}  in flight ${String(driver.inFlight()).padStart(4)}  gaps ${gaps}  p99 last 1 s ${ms(p99)} ms` +
              `  server loop delay p99 ${ms(loopDelay.percentile(99) / 1e6)} ms`,
          );
          loopDelay.reset();
          lastCommitted = committed;
        }
        setTimeout(tick, 10 - ((t - start) % 10));
      };
      tick();
    });
    const cpu = process.cpuUsage(cpuAtStart);
    procs.forEach((p) => p.send({ type: 'cpuStop' }));
    const wall = now() - start;
    const serverCpuPct = ((cpu.user + cpu.system) / 1000 / wall) * 100;
    const loadAtEnd = loadavg()[0]!;
    // Let the last orders answer and their messages arrive.
    await driver.settle();
    await new Promise((r) => setTimeout(r, 500));

    const reports = procs.map((p) => p.next('report'));
    procs.forEach((p) => p.send({ type: 'finish' }));
    const done = await Promise.all(reports);
    const histogram = new Histogram();
    for (const r of done) histogram.merge(r.histogram);
    const gaps = done.reduce((s, r) => s + r.gaps, 0);
    const resets = done.reduce((s, r) => s + r.resets, 0);
    const disconnects = done.reduce((s, r) => s + r.disconnects, 0);
    const messages = done.reduce((s, r) => s + r.messages, 0);
    const clientCpuPct = done.reduce((s, r) => s + r.cpuMs, 0) / wall * 100;
    const committedMeasured = driver.committedMeasured();
    const expected = committedMeasured * args.clients;
    const result = {
      bench: 'fanout',
      mode: args.baseline ? 'baseline: bare socket.io server, no platform' : 'platform',
      clients: args.clients,
      clientProcesses: args.procs,
      client: args.client,
      symbol: args.symbol,
      channels: args.channels,
      offeredTradesPerSecond: args.rate,
      tradesPerOrder: args.baseline ? null : Math.max(1, args.sweep),
      clientsServedBy: args.baseline ? 'baseline server' : args.fanoutNode ? 'second node (own process)' : 'the trading node',
      tradeIntervalMs: Number(process.env.LIVE_TRADE_INTERVAL_MS ?? 10),
      bookIntervalMs: Number(process.env.LIVE_BOOK_INTERVAL_MS ?? 50),
      measuredSeconds: args.seconds,
      tradesCommitted: committedMeasured,
      tradesPerSecond: Number((committedMeasured / args.seconds).toFixed(1)),
      ordersRefusedOrUnfilled: driver.refused(),
      maxOrdersInFlight: driver.maxInFlight(),
      receiptsMeasured: histogram.count,
      receiptsExpected: expected,
      messagesPerClientPerSecond: Number((messages / args.clients / total).toFixed(1)),
      latencyMs: {
        p50: Number(ms(histogram.quantile(0.5))),
        p90: Number(ms(histogram.quantile(0.9))),
        p99: Number(ms(histogram.quantile(0.99))),
        p999: Number(ms(histogram.quantile(0.999))),
        max: Number(ms(histogram.max)),
        mean: Number(ms(histogram.sum / histogram.count)),
      },
      sequenceGaps: gaps,
      sequenceResets: resets,
      disconnects,
      clockOffsetMs: Number(offset.toFixed(3)),
      serverProcessCpuPct: Number(serverCpuPct.toFixed(1)),
      clientProcessesCpuPct: Number(clientCpuPct.toFixed(1)),
      loadAverage1m: { atStart: Number(loadAtStart.toFixed(2)), atEnd: Number(loadAtEnd.toFixed(2)) },
      serverLoopDelayMs: { p50: Number(ms(loopDelayAll.percentile(50) / 1e6)), p99: Number(ms(loopDelayAll.percentile(99) / 1e6)), max: Number(ms(loopDelayAll.max / 1e6)) },
      targetP99Ms: args.targetP99,
      pass: histogram.quantile(0.99) <= args.targetP99 && gaps === 0 && histogram.count === expected,
      cpus: cpus().length,
      node: process.version,
    };

    const row = (label: string, value: string) => process.stdout.write(`  ${label.padEnd(42)} ${value}\n`);
    process.stdout.write(`\nfan-out: commit → client receipt (${args.clients} ${args.client} clients, one symbol; ${result.mode})\n`);
    row('trades committed (measured window)', `${result.tradesCommitted} (${result.tradesPerSecond}/s offered ${args.rate}/s)`);
    row('trade receipts measured / expected', `${result.receiptsMeasured} / ${result.receiptsExpected}`);
    row('messages per client per second', String(result.messagesPerClientPerSecond));
    row('latency p50 / p90 / p99 (ms)', `${ms(histogram.quantile(0.5))} / ${ms(histogram.quantile(0.9))} / ${ms(histogram.quantile(0.99))}`);
    row('latency p99.9 / max / mean (ms)', `${ms(histogram.quantile(0.999))} / ${ms(histogram.max)} / ${ms(histogram.sum / histogram.count)}`);
    row('CPU: server process / client processes', `${result.serverProcessCpuPct}% / ${result.clientProcessesCpuPct}% (of one CPU; ${result.cpus} CPUs)`);
    row('load average (1 min) at start → end', `${result.loadAverage1m.atStart} → ${result.loadAverage1m.atEnd}`);
    row('server event-loop delay p50 / p99 / max', `${ms(result.serverLoopDelayMs.p50)} / ${ms(result.serverLoopDelayMs.p99)} / ${ms(result.serverLoopDelayMs.max)} ms`);
    row('sequence gaps / resets / disconnects', `${gaps} / ${resets} / ${disconnects}`);
    row(`target p99 ≤ ${args.targetP99} ms`, result.pass ? 'PASS' : 'FAIL');
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exitCode = result.pass ? 0 : 1;
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill();
    await driver.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
