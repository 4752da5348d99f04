// Hash map from safe integers to non-negative int32 values (order id → order record, price →
// level record). Open addressing with linear probing and backward-shift deletion in one
// Int32Array of [key, value] pairs: no tombstones, so a table under churn (orders come and go by
// the million) keeps short probes; nothing is allocated per operation; the table never grows past
// four times its high-water mark of live keys. 8-byte entries put eight in a cache line.
// Keys outside int32 (possible, never seen in practice: ids and prices are far below 2^31) live
// in a plain Map on the side, so the table can compare keys as int32.

const EMPTY = -1;

export class IntMap {
  private tab: Int32Array;
  private mask: number;
  private shift: number;
  private count = 0;
  private readonly wide = new Map<number, number>();

  constructor(initialCapacity = 1024) {
    let bits = 4;
    while (1 << bits < initialCapacity * 2 && bits < 30) bits++;
    this.tab = IntMap.table(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = IntMap.shiftFor(bits);
  }

  private static table(capacity: number): Int32Array {
    return new Int32Array(capacity * 2).fill(EMPTY);
  }

  /** Hashes pick a run of eight slots (see home). */
  private static shiftFor(bits: number): number {
    return Math.min(31, 35 - bits);
  }

  get size(): number {
    return this.count + this.wide.size;
  }

  /**
   * Home slot of an int32 key. Keys are hashed in runs of eight (Fibonacci hashing of k >> 3) and
   * k & 7 picks the slot inside the run: eight consecutive ids, the way an exchange hands them
   * out, share one 64-byte line, so placing orders in id order mostly finds the line warm.
   */
  private home(k: number): number {
    return (((Math.imul(k >>> 3, 0x9e3779b1) >>> this.shift) << 3) | (k & 7)) & this.mask;
  }

  /** The value of k, or -1. */
  get(k: number): number {
    if ((k | 0) !== k) return this.wide.get(k) ?? EMPTY;
    const tab = this.tab;
    const mask = this.mask;
    for (let i = this.home(k); ; i = (i + 1) & mask) {
      const v = tab[2 * i + 1]!;
      if (v === EMPTY || tab[2 * i] === k) return v;
    }
  }

  has(k: number): boolean {
    return this.get(k) !== EMPTY;
  }

  /** Sets k to v (v >= 0), adding or replacing. */
  set(k: number, v: number): void {
    if ((k | 0) !== k) {
      this.wide.set(k, v);
      return;
    }
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
    if ((k | 0) !== k) {
      this.wide.delete(k);
      return;
    }
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

  /** Every [key, value] held, in no particular order (a copy: the map may change afterwards). */
  entries(): [number, number][] {
    const out: [number, number][] = [];
    const tab = this.tab;
    for (let e = 0; e < tab.length; e += 2) if (tab[e + 1] !== EMPTY) out.push([tab[e]!, tab[e + 1]!]);
    for (const kv of this.wide) out.push(kv);
    return out;
  }

  private rehash(capacity: number): void {
    const old = this.tab;
    this.tab = IntMap.table(capacity);
    this.mask = capacity - 1;
    this.shift = IntMap.shiftFor(31 - Math.clz32(capacity));
    this.count = 0;
    for (let e = 0; e < old.length; e += 2) {
      const v = old[e + 1]!;
      if (v !== EMPTY) this.set(old[e]!, v);
    }
  }
}
