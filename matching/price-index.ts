// Price → level record, for one side of a book. Prices inside a window around the price band are
// indexed densely (one array read, no hashing: almost every order rests inside the band); prices
// left outside it — by a moved reference price, or a band wider than the window — go to a hash.
import { IntMap } from './int-map.ts';

const NONE = -1;
/** Largest window in prices (256 KiB of int32 per side). */
const MAX_WINDOW = 1 << 16;

export class PriceIndex {
  private base = 0;
  private win: Int32Array = new Int32Array(0);
  private readonly outside = new IntMap(16);
  private count = 0;

  /** Index covering lowTicks..highTicks densely (as much of it as fits around its middle). */
  constructor(lowTicks: number, highTicks: number) {
    this.place(lowTicks, highTicks);
  }

  get size(): number {
    return this.count;
  }

  /** The level of `price`, or -1. */
  get(price: number): number {
    const i = price - this.base;
    if (i >= 0 && i < this.win.length) return this.win[i]!;
    return this.outside.size === 0 ? NONE : this.outside.get(price);
  }

  /** Records the level of a price that has none. */
  set(price: number, level: number): void {
    const i = price - this.base;
    if (i >= 0 && i < this.win.length) this.win[i] = level;
    else this.outside.set(price, level);
    this.count++;
  }

  delete(price: number): void {
    const i = price - this.base;
    if (i >= 0 && i < this.win.length) {
      if (this.win[i] === NONE) return;
      this.win[i] = NONE;
    } else {
      if (this.outside.get(price) === NONE) return;
      this.outside.delete(price);
    }
    this.count--;
  }

  /**
   * Moves the window to a new band; `entries` lists every (price, level) held, which are
   * re-filed. O(window + levels), once per reference-price change.
   */
  recenter(lowTicks: number, highTicks: number, entries: Iterable<readonly [number, number]>): void {
    const old = [...entries];
    for (const [price] of old) this.outside.delete(price);
    this.place(lowTicks, highTicks);
    this.count = 0;
    for (const [price, level] of old) this.set(price, level);
  }

  private place(lowTicks: number, highTicks: number): void {
    let size = 1024;
    while (size < highTicks - lowTicks + 1 && size < MAX_WINDOW) size *= 2;
    const mid = Math.floor((lowTicks + highTicks) / 2);
    this.base = Math.max(1, mid - size / 2);
    if (this.win.length !== size) this.win = new Int32Array(size);
    this.win.fill(NONE);
  }
}
