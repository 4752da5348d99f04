// Benchmark op streams for the matching engine: the text format of ../shared/bench/make-ops.mjs
// and the same deterministic generator (a TypeScript port of ../shared/bench/ops-gen.mjs, so a
// run without --ops replays exactly what `make-ops.mjs OUT 1000000 42` writes).
//
//   # ecorights-ops v1 n=<ops> seed=<seed> orders=<orders> trades=<fills> volume=<lots>
//   L <orderId> <B|S> <priceTicks> <qtyLots>   limit order, good till cancelled; may cross
//   C <orderId>                                  cancel a live order

import type { BookConfig } from '../../matching/index.ts';

export const OP_LIMIT = 0;
export const OP_CANCEL = 1;
export const BUY = 0;
export const SELL = 1;

export interface OpStream {
  n: number;
  /** OP_LIMIT or OP_CANCEL */
  type: Uint8Array;
  id: Float64Array;
  /** BUY or SELL (limits only) */
  side: Uint8Array;
  price: Float64Array;
  qty: Float64Array;
  /** What a correct price-time engine must produce: one trade per maker order touched. */
  expect: { orders: number; trades: number; volume: number };
  source: string;
}

const HEADER = /^# ecorights-ops v1 n=(\d+) seed=(-?\d+) orders=(\d+) trades=(\d+) volume=(\d+)\s*$/;

/** Parses the text format; throws with the line number on anything unexpected. */
export function parseOps(text: string, source: string): OpStream {
  const nl = text.indexOf('\n');
  const headerLine = nl < 0 ? text : text.slice(0, nl);
  const h = HEADER.exec(headerLine);
  if (h === null) throw new Error(`${source}: line 1 is not an ecorights-ops v1 header: ${JSON.stringify(headerLine.slice(0, 120))}`);
  const n = Number(h[1]);
  const stream: OpStream = {
    n,
    type: new Uint8Array(n),
    id: new Float64Array(n),
    side: new Uint8Array(n),
    price: new Float64Array(n),
    qty: new Float64Array(n),
    expect: { orders: Number(h[3]), trades: Number(h[4]), volume: Number(h[5]) },
    source,
  };
  let pos = nl + 1;
  const len = text.length;
  let line = 1;
  const fail = (why: string): never => {
    const end = text.indexOf('\n', pos);
    throw new Error(`${source}: line ${line + 1}: ${why}: ${JSON.stringify(text.slice(pos, end < 0 ? len : end).slice(0, 80))}`);
  };
  // Reads one unsigned integer after a single space.
  const int = (): number => {
    if (text.charCodeAt(pos) !== 32) fail('expected a space');
    pos++;
    let v = 0;
    let digits = 0;
    for (let c = text.charCodeAt(pos); c >= 48 && c <= 57; c = text.charCodeAt(++pos)) {
      v = v * 10 + (c - 48);
      digits++;
    }
    if (digits === 0) fail('expected an integer');
    return v;
  };
  let i = 0;
  while (pos < len) {
    const c = text.charCodeAt(pos);
    if (c === 10) {
      pos++;
      line++;
      continue;
    }
    if (i === n) fail(`more ops than the header's n=${n}`);
    const start = pos;
    pos++;
    if (c === 76 /* L */) {
      stream.type[i] = OP_LIMIT;
      stream.id[i] = int();
      if (text.charCodeAt(pos) !== 32) fail('expected a space');
      const s = text.charCodeAt(pos + 1);
      if (s === 66 /* B */) stream.side[i] = BUY;
      else if (s === 83 /* S */) stream.side[i] = SELL;
      else fail('side must be B or S');
      pos += 2;
      stream.price[i] = int();
      stream.qty[i] = int();
    } else if (c === 67 /* C */) {
      stream.type[i] = OP_CANCEL;
      stream.id[i] = int();
    } else {
      pos = start;
      fail('op must start with L or C');
    }
    if (pos < len && text.charCodeAt(pos) !== 10) fail('trailing characters');
    i++;
  }
  if (i !== n) throw new Error(`${source}: header says n=${n} but the file has ${i} ops (truncated?)`);
  return stream;
}

/** The format, for writing streams (tests, or saving a generated stream). */
export function formatOps(s: OpStream, seed: number): string {
  const lines = [`# ecorights-ops v1 n=${s.n} seed=${seed} orders=${s.expect.orders} trades=${s.expect.trades} volume=${s.expect.volume}`];
  for (let i = 0; i < s.n; i++) {
    lines.push(s.type[i] === OP_CANCEL ? `C ${s.id[i]}` : `L ${s.id[i]} ${s.side[i] === BUY ? 'B' : 'S'} ${s.price[i]} ${s.qty[i]}`);
  }
  return lines.join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------------
// Generator: a faithful port of ops-gen.mjs (same PRNG, same draws in the same order).

export interface Workload {
  pRest: number;
  pTake: number;
  restBand: number;
  restQtyMax: number;
  takeQtyMax: number;
  takeCross: number;
  startMid: number;
  pDrift: number;
  lean: number;
}

export const WORKLOAD: Readonly<Workload> = Object.freeze({
  pRest: 0.6,
  pTake: 0.2, // remaining 0.2 = cancel
  restBand: 50,
  restQtyMax: 100,
  takeQtyMax: 300,
  takeCross: 10,
  startMid: 100000,
  pDrift: 0.2,
  lean: 5,
});

function sfc32(seed: number): () => number {
  let a = 0x9e3779b9 | 0;
  let b = 0x243f6a88 | 0;
  let c = 0xb7e15162 | 0;
  let d = seed | 0;
  const next = (): number => {
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 20; i++) next();
  return next;
}

interface SimLevel {
  q: number[];
  h: number;
  live: number;
}

/** 60% resting limits near a drifting mid, 20% crossing limits, 20% cancels of live orders. */
export function generateOps(n: number, seed: number, P: Workload = WORKLOAD): OpStream {
  const rnd = sfc32(seed);
  const s: OpStream = {
    n,
    type: new Uint8Array(n),
    id: new Float64Array(n),
    side: new Uint8Array(n),
    price: new Float64Array(n),
    qty: new Float64Array(n),
    expect: { orders: 0, trades: 0, volume: 0 },
    source: `generated n=${n} seed=${seed}`,
  };
  const oSide = new Uint8Array(n);
  const oPrice = new Int32Array(n);
  const oQty = new Int32Array(n);
  const livePos = new Int32Array(n).fill(-1);
  const liveArr = new Int32Array(n);
  let liveN = 0;
  const levels = [new Map<number, SimLevel>(), new Map<number, SimLevel>()] as const;
  const nLive = [0, 0];
  const best = [0, 0];
  let mid = P.startMid;
  let F = P.startMid;
  let nextId = 0;
  let trades = 0;
  let volume = 0;

  const addLive = (o: number): void => {
    livePos[o] = liveN;
    liveArr[liveN++] = o;
  };
  const delLive = (o: number): void => {
    const p = livePos[o]!;
    const last = liveArr[--liveN]!;
    liveArr[p] = last;
    livePos[last] = p;
    livePos[o] = -1;
  };
  const rescan = (sd: number): void => {
    if (nLive[sd] === 0) return;
    let p = best[sd]!;
    const m = levels[sd as 0 | 1];
    if (sd === BUY) while (!m.has(p)) p--;
    else while (!m.has(p)) p++;
    best[sd] = p;
  };
  const rest = (o: number, sd: number, p: number, q: number): void => {
    oSide[o] = sd;
    oPrice[o] = p;
    oQty[o] = q;
    const m = levels[sd as 0 | 1];
    let L = m.get(p);
    if (!L) {
      L = { q: [], h: 0, live: 0 };
      m.set(p, L);
    }
    L.q.push(o);
    L.live++;
    if (nLive[sd] === 0 || (sd === BUY ? p > best[sd]! : p < best[sd]!)) best[sd] = p;
    nLive[sd]!++;
    addLive(o);
  };
  const killLevelIfEmpty = (sd: number, p: number, L: SimLevel): void => {
    if (L.live === 0) {
      levels[sd as 0 | 1].delete(p);
      if (best[sd] === p) rescan(sd);
    } else if (L.h > 1024 && L.h * 2 > L.q.length) {
      L.q = L.q.slice(L.h);
      L.h = 0;
    }
  };
  const match = (o: number, sd: number, p: number, q: number): void => {
    const os = 1 - sd;
    while (q > 0 && nLive[os]! > 0) {
      const bp = best[os]!;
      if (sd === BUY ? bp > p : bp < p) break;
      const L = levels[os as 0 | 1].get(bp)!;
      while (q > 0 && L.live > 0) {
        const m = L.q[L.h]!;
        if (oQty[m] === 0) {
          L.h++;
          continue;
        }
        const f = q < oQty[m]! ? q : oQty[m]!;
        q -= f;
        oQty[m] = oQty[m]! - f;
        trades++;
        volume += f;
        if (oQty[m] === 0) {
          L.h++;
          L.live--;
          nLive[os]!--;
          delLive(m);
        }
      }
      killLevelIfEmpty(os, bp, L);
    }
    if (q > 0) rest(o, sd, p, q);
  };

  for (let i = 0; i < n; i++) {
    if (nLive[0] && nLive[1]) mid = Math.floor((best[0]! + best[1]!) / 2);
    else if (nLive[0]) mid = best[0]!;
    else if (nLive[1]) mid = best[1]! - 1;
    const dr = rnd();
    if (dr < P.pDrift / 2) F--;
    else if (dr < P.pDrift) F++;
    let r = rnd();
    if (r >= P.pRest + P.pTake && liveN === 0) r = 0;
    if (r < P.pRest) {
      const sd = rnd() < 0.5 ? BUY : SELL;
      const off = Math.floor(rnd() * P.restBand);
      let p = sd === BUY ? F - off : F + 1 + off;
      if (sd === BUY && nLive[SELL] && p >= best[SELL]!) p = best[SELL]! - 1;
      if (sd === SELL && nLive[BUY] && p <= best[BUY]!) p = best[BUY]! + 1;
      const q = 1 + Math.floor(rnd() * P.restQtyMax);
      const o = nextId++;
      s.type[i] = OP_LIMIT;
      s.side[i] = sd;
      s.price[i] = p;
      s.qty[i] = q;
      s.id[i] = o;
      rest(o, sd, p, q);
    } else if (r < P.pRest + P.pTake) {
      const pBuy = 0.5 + 0.5 * Math.tanh((F - mid) / P.lean);
      const sd = rnd() < pBuy ? BUY : SELL;
      const k = Math.floor(rnd() * P.takeCross);
      const os = 1 - sd;
      const ref = nLive[os] ? best[os]! : sd === BUY ? mid + 1 : mid;
      const p = sd === BUY ? ref + k : ref - k;
      const q = 1 + Math.floor(rnd() * P.takeQtyMax);
      const o = nextId++;
      s.type[i] = OP_LIMIT;
      s.side[i] = sd;
      s.price[i] = p;
      s.qty[i] = q;
      s.id[i] = o;
      match(o, sd, p, q);
    } else {
      const o = liveArr[Math.floor(rnd() * liveN)]!;
      s.type[i] = OP_CANCEL;
      s.id[i] = o;
      const sd = oSide[o]!;
      const p = oPrice[o]!;
      const L = levels[sd as 0 | 1].get(p)!;
      oQty[o] = 0;
      L.live--;
      nLive[sd]!--;
      delLive(o);
      killLevelIfEmpty(sd, p, L);
    }
  }
  s.expect = { orders: nextId, trades, volume };
  return s;
}

/** The prices (in ticks) and the largest order id a stream holds. */
export function streamSpan(s: OpStream): { minPrice: number; maxPrice: number; maxOrderId: number } {
  let minPrice = Infinity;
  let maxPrice = -Infinity;
  let maxOrderId = 0;
  for (let i = 0; i < s.n; i++) {
    if (s.id[i]! > maxOrderId) maxOrderId = s.id[i]!;
    if (s.type[i] === OP_CANCEL) continue;
    if (s.price[i]! < minPrice) minPrice = s.price[i]!;
    if (s.price[i]! > maxPrice) maxPrice = s.price[i]!;
  }
  return { minPrice, maxPrice, maxOrderId };
}

/** Band wide enough for every price of the stream: the bench must not be rejected by its own band. */
export function bookConfig(streams: OpStream[]): BookConfig {
  let ref = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const s of streams) {
    for (let i = 0; i < s.n; i++) {
      if (s.type[i] === OP_CANCEL) continue;
      const p = s.price[i]!;
      if (ref === 0) ref = p;
      if (p < min) min = p;
      if (p > max) max = p;
    }
  }
  if (ref === 0) ref = 100_000;
  const dev = Math.max(ref - min, max - ref, 0);
  const bps = Math.max(1000, Math.ceil(((dev + 1) * 10_000) / ref));
  return { symbol: 'BENCH', referencePriceTicks: ref, priceBandBps: bps, minQtyLots: 1, mode: 'continuous' };
}
