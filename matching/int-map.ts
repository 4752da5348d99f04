// Hash map from safe integers to non-negative int32 values (order id → order slot, price → level
// slot), in one typed array. Open addressing with linear probing and backward-shift deletion:
// no tombstones, so a table under churn (orders come and go by the million) keeps short probes,
// allocates nothing per operation and never grows past four times its high-water mark of live
// keys.

const EMPTY = -1;

/** Entries are [key, value] pairs side by side, so a probe touches one cache line. */
export class IntMap {
  private tab: Float64Array;
  private mask: number;
  private shift: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let bits = 4;
    while (1 << bits < initialCapacity * 2 && bits < 30) bits++;
    this.tab = IntMap.table(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 34 - bits; // hashes pick a run of four slots
  }

  private static table(capacity: number): Float64Array {
    const t = new Float64Array(capacity * 2);
    for (let i = 1; i < t.length; i += 2) t[i] = EMPTY;
    return t;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Home slot. Keys are hashed in runs of four (Fibonacci hashing of k >> 2, both 32-bit halves)
   * and k & 3 picks the slot inside the run: four consecutive ids, the way an exchange hands them
   * out, share one 64-byte line, so placing orders in id order mostly hits a warm line.
   */
  private home(k: number): number {
    const lo = k | 0;
    const hi = lo === k ? 0 : (k / 4294967296) | 0; // no division for the usual int32 keys
    return ((Math.imul((lo >>> 2) ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1) >>> this.shift) << 2 | (lo & 3)) & this.mask;
  }

  /** The value of k, or -1. */
  get(k: number): number {
    const tab = this.tab;
    const mask = this.mask;
    for (let i = this.home(k); ; i = (i + 1) & mask) {
      // `| 0`: values are int32; without it every caller would compute with doubles.
      const v = tab[2 * i + 1]! | 0;
      if (v === EMPTY || tab[2 * i] === k) return v;
    }
  }

  has(k: number): boolean {
    return this.get(k) !== EMPTY;
  }

  /** Sets k to v (v >= 0), adding or replacing. */
  set(k: number, v: number): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    const tab = this.tab;
    const mask = this.mask;
    for (let i = this.home(k); ; i = (i + 1) & mask) {
      const e = 2 * i;
      if (tab[e + 1] === EMPTY) {
        tab[e] = k;
        tab[e + 1] = v;
        this.count++;
        return;
      }
      if (tab[e] === k) {
        tab[e + 1] = v;
        return;
      }
    }
  }

  /** Removes k if present. */
  delete(k: number): void {
    const tab = this.tab;
    const mask = this.mask;
    let i = this.home(k);
    for (;;) {
      if (tab[2 * i + 1] === EMPTY) return;
      if (tab[2 * i] === k) break;
      i = (i + 1) & mask;
    }
    this.count--;
    // Backward shift: pull later entries of the probe run into the hole when their home slot
    // does not lie cyclically in (hole, j].
    let hole = i;
    for (let j = (i + 1) & mask; tab[2 * j + 1] !== EMPTY; j = (j + 1) & mask) {
      const key = tab[2 * j]!;
      if (((j - this.home(key)) & mask) >= ((j - hole) & mask)) {
        tab[2 * hole] = key;
        tab[2 * hole + 1] = tab[2 * j + 1]!;
        hole = j;
      }
    }
    tab[2 * hole + 1] = EMPTY;
  }

  private rehash(capacity: number): void {
    const old = this.tab;
    this.tab = IntMap.table(capacity);
    this.mask = capacity - 1;
    this.shift = 34 - (31 - Math.clz32(capacity));
    this.count = 0;
    for (let e = 0; e < old.length; e += 2) {
      const v = old[e + 1]!;
      if (v !== EMPTY) this.set(old[e]!, v);
    }
  }
}
