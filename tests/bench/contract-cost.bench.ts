// npm run bench:contract [-- --rounds 3]
//
// What the engine's checks and structures cost (not a test): the default 1,000,000-op stream
// replayed through the same command-object loop by
//   engine   the real OrderBook, every check on
//   plain    the plain book behind the same contract: a result object per command (the own
//            order's outcome in it), an event object per fill
// Each runs in a process of its own, alternating, so no call site ever sees two book classes
// (a shared replay loop made V8's inline caches polymorphic and moved figures by 2-3x).
// Prints a table of medians and a final JSON line.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OrderBook } from '../../matching/index.ts';
import type { ApplyResult, BookCommand } from '../../matching/index.ts';
import { BUY, OP_CANCEL, bookConfig, generateOps, streamSpan, type OpStream } from './matching-workload.ts';
import { PlainBookApi } from './plain-book-api.ts';

const IMPLEMENTATIONS = ['engine', 'plain'] as const;
type Implementation = (typeof IMPLEMENTATIONS)[number];
const REPLAYS = 8;
const WARM_UPS = 2;

interface Book {
  apply(c: BookCommand): ApplyResult;
}

function makeBook(impl: Implementation, s: OpStream): Book {
  if (impl === 'engine') return new OrderBook(bookConfig([s]));
  return new PlainBookApi({ ...streamSpan(s), maxLive: s.n });
}

/** One replay in this process; throws unless fills and volume equal the stream's. */
function replay(impl: Implementation, s: OpStream): number {
  const book = makeBook(impl, s);
  let trades = 0;
  let volume = 0;
  const t0 = performance.now();
  for (let i = 0; i < s.n; i++) {
    const r =
      s.type[i] === OP_CANCEL
        ? book.apply({ type: 'cancel', orderId: s.id[i]!, timestamp: i })
        : book.apply({
            type: 'place',
            orderId: s.id[i]!,
            ownerId: s.id[i]! + 1,
            side: s.side[i] === BUY ? 'buy' : 'sell',
            kind: 'limit',
            priceTicks: s.price[i]!,
            qtyLots: s.qty[i]!,
            tif: 'GTC',
            stp: 'cancel_newest',
            timestamp: i,
          });
    if (r.code !== 'OK') throw new Error(`${impl}: op ${i} answered ${r.code}`);
    const ev = r.events;
    for (let k = 0; k < ev.length; k++) {
      const e = ev[k]!;
      if (e.type === 'fill') {
        trades++;
        volume += e.qtyLots;
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  if (trades !== s.expect.trades || volume !== s.expect.volume) {
    throw new Error(`${impl}: trades ${trades} volume ${volume}, expected ${s.expect.trades} / ${s.expect.volume}`);
  }
  return s.n / seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function solo(impl: Implementation): void {
  const s = generateOps(1_000_000, 42);
  const rates: number[] = [];
  for (let k = 0; k < WARM_UPS + REPLAYS; k++) rates.push(replay(impl, s));
  process.stdout.write(JSON.stringify({ impl, opsPerSec: rates.slice(WARM_UPS) }) + '\n');
}

function main(): void {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, solo: { type: 'string' } } });
  if (values.solo !== undefined) {
    if (!(IMPLEMENTATIONS as readonly string[]).includes(values.solo)) throw new Error(`--solo takes one of ${IMPLEMENTATIONS.join(', ')}`);
    return solo(values.solo as Implementation);
  }
  const rounds = Number(values.rounds);
  const byImpl = new Map<Implementation, number[]>(IMPLEMENTATIONS.map((i) => [i, []]));
  const self = fileURLToPath(import.meta.url);
  for (let round = 1; round <= rounds; round++) {
    for (const impl of IMPLEMENTATIONS) {
      process.stderr.write(`[bench:contract] round ${round}/${rounds}: ${impl} (${WARM_UPS} warm-ups + ${REPLAYS} replays of 1,000,000 ops)\n`);
      const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--solo', impl], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (child.status !== 0) throw new Error(`${impl} failed (exit ${child.status})`);
      const line = child.stdout.trim().split('\n').pop()!;
      const medianOfRun = median((JSON.parse(line) as { opsPerSec: number[] }).opsPerSec);
      byImpl.get(impl)!.push(medianOfRun);
      process.stderr.write(`[bench:contract]   median ${Math.round(medianOfRun).toLocaleString('en-US')} ops/s\n`);
    }
  }
  const engine = median(byImpl.get('engine')!);
  const rows = IMPLEMENTATIONS.map((impl) => {
    const runs = byImpl.get(impl)!;
    return {
      implementation: impl,
      'ops/s (median of rounds)': Math.round(median(runs)).toLocaleString('en-US'),
      'each round': runs.map((r) => Math.round(r).toLocaleString('en-US')).join(' / '),
      'vs engine': Number((median(runs) / engine).toFixed(2)),
    };
  });
  console.table(rows);
  console.log(JSON.stringify(Object.fromEntries(IMPLEMENTATIONS.map((impl) => [impl, Math.round(median(byImpl.get(impl)!))]))));
}

main();
