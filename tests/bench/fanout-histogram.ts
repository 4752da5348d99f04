// A latency histogram that merges across processes: 0.05 ms buckets up to 2 s, then 10 ms
// buckets up to 2 min (an overloaded run must still report its percentiles, not just its max).

const FINE_MS = 0.05;
const FINE = 40_000; // 0 … 2,000 ms
const COARSE_MS = 10;
const COARSE = 11_800; // 2 s … 120 s
export const BUCKETS = FINE + COARSE;

function bucketOf(ms: number): number {
  if (ms < FINE * FINE_MS) return Math.floor(ms / FINE_MS);
  return FINE + Math.floor((ms - FINE * FINE_MS) / COARSE_MS);
}

function upperEdge(bucket: number): number {
  return bucket < FINE ? (bucket + 1) * FINE_MS : FINE * FINE_MS + (bucket - FINE + 1) * COARSE_MS;
}

export interface HistogramData {
  counts: number[];
  count: number;
  overflow: number;
  min: number;
  max: number;
  sum: number;
}

export class Histogram {
  counts = new Uint32Array(BUCKETS);
  count = 0;
  overflow = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;

  record(ms: number): void {
    const v = ms < 0 ? 0 : ms;
    this.count += 1;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    const b = bucketOf(v);
    if (b >= BUCKETS) this.overflow += 1;
    else this.counts[b]! += 1;
  }

  merge(other: HistogramData): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i] ?? 0;
    this.count += other.count;
    this.overflow += other.overflow;
    this.sum += other.sum;
    if (other.count > 0) {
      this.min = Math.min(this.min, other.min);
      this.max = Math.max(this.max, other.max);
    }
  }

  /** The value at quantile q (0..1), as the upper edge of its bucket; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(upperEdge(i), this.max);
    }
    return this.max;
  }

  toData(): HistogramData {
    return { counts: Array.from(this.counts), count: this.count, overflow: this.overflow, min: this.min, max: this.max, sum: this.sum };
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.overflow = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.sum = 0;
  }
}
