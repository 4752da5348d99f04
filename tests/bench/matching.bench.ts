// Matching-engine benchmark (not a test): replays an op stream through the real OrderBook API
// with every check on, then through nodejs-order-book, and prints a table and one JSON line.
//
//   npm run bench:matching                          # generated 1,000,000-op stream (seed 42)
//   npm run bench:matching -- --ops FILE            # a file written by ../shared/bench/make-ops.mjs
//   npm run bench:matching -- --ops FILE --warm W   # replay W on a fresh book first (JIT warm-up)
//   --no-peer skips nodejs-order-book (quick local runs; ratio is then null)
//
// The same stream also goes through a minimal typed-array book (plain-book.ts), interleaved with
// the engine's runs: the yardstick the issue measured at about 8M ops/s on this kind of machine,
// so a figure can be read against how fast the machine is at that moment.
//
// Trades and volume are counted from the events the engine emits and must equal the stream's
// header; a mismatch fails the run loudly (exit code 1).
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { OrderBook as PeerBook } from 'nodejs-order-book';
import { OrderBook } from '../../matching/index.ts';
import type { ApplyResult, BookConfig } from '../../matching/index.ts';
import { OP_CANCEL, BUY, bookConfig, generateOps, parseOps, streamSpan } from './matching-workload.ts';
import type { OpStream } from './matching-workload.ts';
import { PlainBook } from './plain-book.ts';

interface Args {
  ops?: string;
  warm?: string;
  peer: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { peer: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${k} needs a file argument`);
      return v;
    };
    if (k === '--ops') a.ops = value();
    else if (k === '--warm') a.warm = value();
    else if (k === '--no-peer') a.peer = false;
    else throw new Error(`unknown argument ${k}; usage: matching.bench.ts [--ops FILE] [--warm FILE] [--no-peer]`);
  }
  return a;
}

function load(file: string): OpStream {
  const t0 = performance.now();
  const s = parseOps(readFileSync(file, 'latin1'), file);
  process.stderr.write(`loaded ${file}: ${s.n} ops in ${(performance.now() - t0).toFixed(0)} ms\n`);
  return s;
}

/**
 * Progress on stderr: redrawn in place on a terminal, a line per 25% otherwise. A class rather
 * than a closure per replay, so the replay loop calls the same function every time (a new
 * closure per run made V8 throw away the optimised loop at the start of each run).
 */
class Progress {
  private nextLine = 0.25;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  show(done: number): void {
    const f = this.total === 0 ? 1 : done / this.total;
    if (this.tty) {
      const w = 30;
      const bar = '#'.repeat(Math.round(f * w)).padEnd(w, '.');
      process.stderr.write(`\r  ${this.label.padEnd(22)} [${bar}] ${(f * 100).toFixed(0).padStart(3)}% ${done}/${this.total}`);
      if (done >= this.total) process.stderr.write('\n');
    } else if (f >= this.nextLine || done >= this.total) {
      process.stderr.write(`  ${this.label}: ${(f * 100).toFixed(0)}% (${done}/${this.total})\n`);
      while (this.nextLine <= f) this.nextLine += 0.25;
    }
  }
}

const PROGRESS_EVERY = 1 << 16;

interface Replay {
  trades: number;
  volume: number;
  rejects: number;
  seconds: number;
  /** CPU time of the process during the replay (all threads): less sensitive to a busy machine. */
  cpuSeconds: number;
  liveOrders: number;
  /** Order records the engine ever allocated (high-water mark of live orders); 0 for the peer. */
  orderRecords: number;
}

/**
 * Replays the stream through the real API: each op becomes a command object, every place has an
 * owner and an STP mode (owners are distinct, so STP is checked on every fill and never fires).
 * With `lat`, each op's latency (ns, including one hrtime read) is stored in lat[i].
 */
function replayEngine(s: OpStream, config: BookConfig, label: string, lat?: Float64Array): Replay {
  const book = new OrderBook(config);
  const { type, id, side, price, qty, n } = s;
  const progress = new Progress(label, n);
  let trades = 0;
  let volume = 0;
  let rejects = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let prev = t0;
  for (let i = 0; i < n; i++) {
    if ((i & (PROGRESS_EVERY - 1)) === 0) progress.show(i);
    const orderId = id[i]!;
    let r: ApplyResult;
    if (type[i] === OP_CANCEL) {
      r = book.apply({ type: 'cancel', orderId, timestamp: i });
    } else {
      r = book.apply({
        type: 'place',
        orderId,
        ownerId: orderId + 1,
        side: side[i] === BUY ? 'buy' : 'sell',
        kind: 'limit',
        priceTicks: price[i]!,
        qtyLots: qty[i]!,
        tif: 'GTC',
        stp: 'cancel_newest',
        timestamp: i,
      });
    }
    if (r.code !== 'OK') rejects++;
    const ev = r.events;
    for (let k = 0; k < ev.length; k++) {
      const e = ev[k]!;
      if (e.type === 'fill') {
        trades++;
        volume += e.qtyLots;
      }
    }
    if (lat !== undefined) {
      const now = process.hrtime.bigint();
      lat[i] = Number(now - prev);
      prev = now;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  progress.show(n);
  const problem = book.verify();
  if (problem !== undefined) throw new Error(`book invariant broken after ${label}: ${problem}`);
  return { trades, volume, rejects, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, liveOrders: book.size, orderRecords: book.stats().orderRecords };
}

/** The machine's yardstick (see plain-book.ts): the same stream through a minimal book. */
function replayPlain(s: OpStream, label: string): Replay {
  const { type, id, side, price, qty, n } = s;
  const span = streamSpan(s);
  const book = new PlainBook(span.minPrice, span.maxPrice, span.maxOrderId, n);
  const fills = book.fills;
  const progress = new Progress(label, n);
  let trades = 0;
  let volume = 0;
  let rejects = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    if ((i & (PROGRESS_EVERY - 1)) === 0) progress.show(i);
    if (type[i] === OP_CANCEL) {
      if (!book.cancel(id[i]!)) rejects++;
      continue;
    }
    book.limit(id[i]!, side[i] === BUY, price[i]!, qty[i]!);
    for (let k = 0; k < book.fillCount; k++) {
      trades++;
      volume += fills[k]!.qtyLots;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  progress.show(n);
  return { trades, volume, rejects, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, liveOrders: book.size, orderRecords: 0 };
}

function replayPeer(s: OpStream, label: string): Replay {
  const book = new PeerBook();
  const { type, side, price, qty, n } = s;
  const ids: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = String(s.id[i]);
  const progress = new Progress(label, n);
  let trades = 0;
  let volume = 0;
  let rejects = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    if ((i & (PROGRESS_EVERY - 1)) === 0) progress.show(i);
    const orderId = ids[i]!;
    if (type[i] === OP_CANCEL) {
      if (book.cancel(orderId) === undefined) rejects++;
      continue;
    }
    const size = qty[i]!;
    const r = book.limit({ id: orderId, side: side[i] === BUY ? 'buy' : 'sell', size, price: price[i]! } as Parameters<PeerBook['limit']>[0]);
    if (r.err !== null) {
      rejects++;
      continue;
    }
    volume += size - r.quantityLeft;
    for (const d of r.done) if (d.id !== orderId) trades++;
    if (r.partial !== null && r.partial.id !== orderId) trades++;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  progress.show(n);
  const snap = book.snapshot();
  let live = 0;
  for (const l of [...snap.bids, ...snap.asks]) live += l.orders.length;
  return { trades, volume, rejects, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, liveOrders: live, orderRecords: 0 };
}

function check(what: string, r: Replay, s: OpStream): string[] {
  const errors: string[] = [];
  if (r.trades !== s.expect.trades) errors.push(`${what}: trades ${r.trades} != expected ${s.expect.trades}`);
  if (r.volume !== s.expect.volume) errors.push(`${what}: volume ${r.volume} != expected ${s.expect.volume}`);
  if (r.rejects !== 0) errors.push(`${what}: ${r.rejects} commands rejected`);
  return errors;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** Cost of the hrtime read itself, to read the latency figures against. */
function timerOverheadNs(): number {
  const k = 100_000;
  const d = new Float64Array(k);
  let prev = process.hrtime.bigint();
  for (let i = 0; i < k; i++) {
    const now = process.hrtime.bigint();
    d[i] = Number(now - prev);
    prev = now;
  }
  d.sort();
  return percentile(d, 0.5);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const stream = args.ops !== undefined ? load(args.ops) : generateOps(1_000_000, 42);
  const warm = args.warm !== undefined ? load(args.warm) : generateOps(300_000, 7);
  const config = bookConfig([stream, warm]);
  process.stderr.write(
    `stream: ${stream.source}, ${stream.n} ops, ${stream.expect.orders} orders, expect trades=${stream.expect.trades} volume=${stream.expect.volume}\n` +
      `book: reference ${config.referencePriceTicks} ticks, band ±${config.priceBandBps} bps, STP cancel_newest on every order\n`,
  );

  const errors: string[] = [];
  // The machine is shared: figures only compare at a similar load, so the table carries it.
  const loadBefore = loadavg()[0]!;
  // Warm-up on a fresh book (checked too when it is a file with a header).
  const w = replayEngine(warm, config, 'warm-up (engine)');
  errors.push(...check('warm-up', w, warm));

  const p = replayPlain(warm, 'warm-up (plain book)');
  errors.push(...check('plain book warm-up', p, warm));

  // Throughput: three fresh replays, median reported; each followed by the plain book on the
  // same stream, so a machine that speeds up or slows down mid-run moves both alike.
  const runs: Replay[] = [];
  const plainRuns: Replay[] = [];
  for (let k = 0; k < 3; k++) {
    const r = replayEngine(stream, config, `engine run ${k + 1}/3`);
    errors.push(...check(`engine run ${k + 1}`, r, stream));
    runs.push(r);
    const q = replayPlain(stream, `plain book run ${k + 1}/3`);
    errors.push(...check(`plain book run ${k + 1}`, q, stream));
    plainRuns.push(q);
  }
  const median = [...runs].sort((a, b) => a.seconds - b.seconds)[1]!;
  const plainMedian = [...plainRuns].sort((a, b) => a.seconds - b.seconds)[1]!;

  // Latency: one more fresh replay, every op timed.
  const lat = new Float64Array(stream.n);
  const timed = replayEngine(stream, config, 'engine, per-op timing', lat);
  errors.push(...check('engine timed run', timed, stream));
  lat.sort();
  const timer = timerOverheadNs();
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;

  let peer: Replay | undefined;
  if (args.peer) {
    replayPeer(warm, 'warm-up (peer)');
    peer = replayPeer(stream, 'nodejs-order-book');
    if (peer.volume !== stream.expect.volume || peer.trades !== stream.expect.trades) {
      process.stderr.write(`note: nodejs-order-book produced trades=${peer.trades} volume=${peer.volume} (expected ${stream.expect.trades}/${stream.expect.volume})\n`);
    }
  }

  const opsPerSec = stream.n / median.seconds;
  const plainOpsPerSec = stream.n / plainMedian.seconds;
  const peerOpsPerSec = peer === undefined ? null : stream.n / peer.seconds;
  const p50Ns = percentile(lat, 0.5);
  const p99Ns = percentile(lat, 0.99);
  const rows: [string, string, string][] = [
    ['ops', String(stream.n), peer === undefined ? '-' : String(stream.n)],
    ['ops/s', fmt(opsPerSec), peerOpsPerSec === null ? 'skipped' : fmt(peerOpsPerSec)],
    ['seconds (median of 3)', median.seconds.toFixed(3), peer === undefined ? '-' : peer.seconds.toFixed(3)],
    ['runs ops/s', runs.map((r) => fmt(stream.n / r.seconds)).join(' / '), '-'],
    ['ops per CPU-second (median run)', fmt(stream.n / median.cpuSeconds), peer === undefined ? '-' : fmt(stream.n / peer.cpuSeconds)],
    ['trades (maker fills)', String(median.trades), peer === undefined ? '-' : String(peer.trades)],
    ['volume (lots)', String(median.volume), peer === undefined ? '-' : String(peer.volume)],
    ['live orders at end', String(median.liveOrders), peer === undefined ? '-' : String(peer.liveOrders)],
    ['order records used / orders seen', `${median.orderRecords} / ${stream.expect.orders}`, '-'],
    ['p50 / p99 / p99.9 ns', `${p50Ns} / ${p99Ns} / ${percentile(lat, 0.999)}`, '-'],
    ['max ns', String(lat[lat.length - 1] ?? 0), '-'],
    ['hrtime read ns (in the above)', String(timer), '-'],
    ['rss / heap MB (before peer)', `${rssMb.toFixed(1)} / ${heapMb.toFixed(1)}`, '-'],
    ['load avg 1 min (start / end)', `${loadBefore.toFixed(2)} / ${loadavg()[0]!.toFixed(2)}`, `(${cpus().length} CPUs)`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length), 'ecorights matching'.length);
  const out = [`${''.padEnd(w0)}  ${'ecorights matching'.padEnd(w1)}  nodejs-order-book 10.1.1`];
  for (const [k, a, b] of rows) out.push(`${k.padEnd(w0)}  ${a.padEnd(w1)}  ${b}`);
  if (peerOpsPerSec !== null) out.push(`ratio ${(opsPerSec / peerOpsPerSec).toFixed(1)}x`);
  out.push(
    `machine yardstick: a plain typed-array book (no checks; tests/bench/plain-book.ts) on the same stream: ${fmt(plainOpsPerSec)} ops/s ` +
      `(runs ${plainRuns.map((r) => fmt(stream.n / r.seconds)).join(' / ')}); the engine runs at ${((100 * opsPerSec) / plainOpsPerSec).toFixed(0)}% of it`,
  );
  process.stdout.write(out.join('\n') + '\n');

  if (errors.length > 0) {
    process.stderr.write(`\nBENCHMARK FAILED: the engine does not reproduce the stream's expected results:\n  ${errors.join('\n  ')}\n`);
    process.exitCode = 1;
  }
  const json = {
    opsPerSec: Math.round(opsPerSec),
    trades: median.trades,
    volume: median.volume,
    p50Ns,
    p99Ns,
    rssMb: Math.round(rssMb * 10) / 10,
    peerOpsPerSec: peerOpsPerSec === null ? null : Math.round(peerOpsPerSec),
    ratio: peerOpsPerSec === null ? null : Math.round((opsPerSec / peerOpsPerSec) * 10) / 10,
    plainOpsPerSec: Math.round(plainOpsPerSec),
    ratioToPlain: Math.round((opsPerSec / plainOpsPerSec) * 100) / 100,
  };
  process.stdout.write(JSON.stringify(json) + '\n');
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

main();
