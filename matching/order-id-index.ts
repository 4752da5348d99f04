// Order id → order record, for one book. Exchanges hand out ids in increasing order, so the
// live orders of a book hold ids from a moving window: the index files an id directly at
// `id & mask`, no hashing and no probing. Placing orders in id order then writes consecutive
// slots (sixteen to a cache line, which the prefetcher streams in), and removing an order is one
// store — the open-addressing map this replaces spent most of a cancel probing and back-shifting.
//
// The slot holds the record, and the record holds its id (word 0 of the record, read through the
// records array passed in): a slot is only a hit when that id matches, so nothing but the record
// a lookup needs anyway is read. An id whose slot is taken by another live order (one that has
// lived for more than a table's worth of ids, or ids that are not sequential) goes to an IntMap
// on the side. The table keeps at least eight slots per live order, so such collisions stay
// rare, and grows only with the high-water mark of live orders, never with the ids ever seen.
// A count per slot of the ids waiting on the side for it lets a lookup of an absent id (every
// new order is checked for a duplicate) stop at an empty slot instead of probing the side map,
// which is seldom empty: a book always holds a few orders that outlived a table of ids.
import { IntMap } from './int-map.ts';

const NONE = -1;
/** Slots per live order, at least: the distance in ids an order can live before it collides. */
const SPREAD = 8;
/** A crowding count that reached this stays (the slot is then always checked on the side). */
const CROWDED_MAX = 0xffff;

export class OrderIdIndex {
  private slots: Int32Array;
  /** Per slot: how many ids with this slot live in `collided`. */
  private crowded: Uint16Array;
  private mask: number;
  private count = 0;
  private readonly collided = new IntMap(16);

  constructor(initialCapacity = 1024) {
    let size = 1024;
    while (size < initialCapacity * SPREAD && size < 1 << 30) size *= 2;
    this.slots = new Int32Array(size).fill(NONE);
    this.crowded = new Uint16Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The record of `id`, or -1; `ids[record]` is the id of each record. */
  get(id: number, ids: Float64Array): number {
    const h = id & this.mask;
    const o = this.slots[h]!;
    if (o !== NONE && ids[o] === id) return o;
    return this.crowded[h] === 0 ? NONE : this.collided.get(id);
  }

  /** Files record `o` under `id`, which must not be filed yet. */
  add(id: number, o: number, ids: Float64Array): void {
    if ((this.count + 1) * SPREAD > this.slots.length) this.grow(ids);
    this.count++;
    this.file(id, o);
  }

  /** Removes `id`, filed with record `o`. */
  delete(id: number, o: number): void {
    const h = id & this.mask;
    if (this.slots[h] === o) this.slots[h] = NONE;
    else {
      this.collided.delete(id);
      const c = this.crowded[h]!;
      if (c !== CROWDED_MAX) this.crowded[h] = c - 1;
    }
    this.count--;
  }

  private grow(ids: Float64Array): void {
    const old = this.slots;
    const size = old.length * 2;
    this.slots = new Int32Array(size).fill(NONE);
    this.crowded = new Uint16Array(size);
    this.mask = size - 1;
    // Ids that had slots of their own still do, and distinct ones (a new slot keeps the low bits
    // of the old one): re-filed straight from the old table, without a pair per id.
    for (let h = 0; h < old.length; h++) {
      const o = old[h]!;
      if (o !== NONE) this.slots[ids[o]! & this.mask] = o;
    }
    // Ids on the side get a second chance at a slot of their own in the larger table.
    const parked = this.collided.entries();
    for (const [id] of parked) this.collided.delete(id);
    for (const [id, o] of parked) this.file(id, o);
  }

  private file(id: number, o: number): void {
    const h = id & this.mask;
    if (this.slots[h] === NONE) {
      this.slots[h] = o;
      return;
    }
    this.collided.set(id, o);
    const c = this.crowded[h]!;
    if (c !== CROWDED_MAX) this.crowded[h] = c + 1;
  }
}
