// A deliberately minimal price-time order book, used only by bench:matching as a yardstick of
// the machine: the issue measured "a plain price-level book over typed arrays, emitting an event
// object per fill" at about 8M ops/s on this kind of machine. Replaying the same stream through
// it in the same run shows how fast this machine is today, and how much the real engine's
// contract (validation, bands, STP, modes, L2/L3 sequence, bounded memory) costs on top.
//
// It knows only GTC limit orders and cancels, trusts its input, and sizes its arrays from the
// stream (every price level of the stream's range, every order id it will see): none of that
// would do for the exchange, all of it makes it as fast as a book can plainly be.

export interface PlainFill {
  makerId: number;
  takerId: number;
  priceTicks: number;
  qtyLots: number;
}

const NONE = -1;

export class PlainBook {
  // Order slots, reused through a free list.
  private readonly qty: Int32Array;
  private readonly orderId: Int32Array;
  private readonly level: Int32Array;
  private readonly isBuy: Uint8Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private freeHead = NONE;
  private used = 0;
  private readonly slotOfId: Int32Array;
  // Price levels, dense over [minPrice, maxPrice]: a FIFO list of slots per side.
  private readonly bidHead: Int32Array;
  private readonly bidTail: Int32Array;
  private readonly askHead: Int32Array;
  private readonly askTail: Int32Array;
  private bestBid = NONE;
  private bestAsk: number;
  /** This order's fills are fills[0 .. fillCount): the array is reused, not cut back. */
  readonly fills: PlainFill[] = [];
  fillCount = 0;

  constructor(
    private readonly minPrice: number,
    maxPrice: number,
    maxOrderId: number,
    maxLive: number,
  ) {
    const levels = maxPrice - minPrice + 1;
    this.bestAsk = levels;
    this.qty = new Int32Array(maxLive);
    this.orderId = new Int32Array(maxLive);
    this.level = new Int32Array(maxLive);
    this.isBuy = new Uint8Array(maxLive);
    this.next = new Int32Array(maxLive);
    this.prev = new Int32Array(maxLive);
    this.slotOfId = new Int32Array(maxOrderId + 1).fill(NONE);
    this.bidHead = new Int32Array(levels).fill(NONE);
    this.bidTail = new Int32Array(levels).fill(NONE);
    this.askHead = new Int32Array(levels).fill(NONE);
    this.askTail = new Int32Array(levels).fill(NONE);
  }

  get size(): number {
    let live = 0;
    for (let id = 0; id < this.slotOfId.length; id++) if (this.slotOfId[id] !== NONE) live++;
    return live;
  }

  /** Matches a GTC limit order, then rests what is left. */
  limit(id: number, buy: boolean, priceTicks: number, qtyLots: number): void {
    this.fillCount = 0;
    const at = priceTicks - this.minPrice;
    let left = qtyLots;
    if (buy) {
      while (left > 0 && this.bestAsk <= at) left = this.take(this.askHead, this.askTail, this.bestAsk, id, left, true);
    } else {
      while (left > 0 && this.bestBid >= at && this.bestBid !== NONE) left = this.take(this.bidHead, this.bidTail, this.bestBid, id, left, false);
    }
    if (left > 0) this.rest(id, buy, at, left);
  }

  cancel(id: number): boolean {
    const slot = this.slotOfId[id]!;
    if (slot === NONE) return false;
    const at = this.level[slot]!;
    if (this.isBuy[slot] === 1) this.unlink(this.bidHead, this.bidTail, at, slot, true);
    else this.unlink(this.askHead, this.askTail, at, slot, false);
    this.release(id, slot);
    return true;
  }

  /** Fills against the makers of one level in time order; returns the taker's quantity left. */
  private take(head: Int32Array, tail: Int32Array, at: number, takerId: number, left: number, takerBuys: boolean): number {
    let slot = head[at]!;
    while (slot !== NONE && left > 0) {
      const maker = this.qty[slot]!;
      const q = maker < left ? maker : left;
      left -= q;
      this.fills[this.fillCount++] = { makerId: this.orderId[slot]!, takerId, priceTicks: at + this.minPrice, qtyLots: q };
      const following = this.next[slot]!;
      if (q === maker) {
        this.release(this.orderId[slot]!, slot);
        slot = following;
      } else {
        this.qty[slot] = maker - q;
      }
    }
    head[at] = slot;
    if (slot === NONE) {
      tail[at] = NONE;
      if (takerBuys) this.bestAsk = this.nextAsk(at);
      else this.bestBid = this.nextBid(at);
    } else {
      this.prev[slot] = NONE;
    }
    return left;
  }

  private rest(id: number, buy: boolean, at: number, qtyLots: number): void {
    let slot = this.freeHead;
    if (slot !== NONE) this.freeHead = this.next[slot]!;
    else slot = this.used++;
    this.qty[slot] = qtyLots;
    this.orderId[slot] = id;
    this.level[slot] = at;
    this.isBuy[slot] = buy ? 1 : 0;
    this.slotOfId[id] = slot;
    const head = buy ? this.bidHead : this.askHead;
    const tail = buy ? this.bidTail : this.askTail;
    const last = tail[at]!;
    this.next[slot] = NONE;
    this.prev[slot] = last;
    if (last === NONE) head[at] = slot;
    else this.next[last] = slot;
    tail[at] = slot;
    if (buy && at > this.bestBid) this.bestBid = at;
    if (!buy && at < this.bestAsk) this.bestAsk = at;
  }

  private unlink(head: Int32Array, tail: Int32Array, at: number, slot: number, buy: boolean): void {
    const p = this.prev[slot]!;
    const n = this.next[slot]!;
    if (p === NONE) head[at] = n;
    else this.next[p] = n;
    if (n === NONE) tail[at] = p;
    else this.prev[n] = p;
    if (head[at] === NONE) {
      if (buy && at === this.bestBid) this.bestBid = this.nextBid(at);
      if (!buy && at === this.bestAsk) this.bestAsk = this.nextAsk(at);
    }
  }

  private release(id: number, slot: number): void {
    this.slotOfId[id] = NONE;
    this.next[slot] = this.freeHead;
    this.freeHead = slot;
  }

  private nextAsk(from: number): number {
    let at = from + 1;
    while (at < this.askHead.length && this.askHead[at] === NONE) at++;
    return at;
  }

  private nextBid(from: number): number {
    let at = from - 1;
    while (at >= 0 && this.bidHead[at] === NONE) at--;
    return at;
  }
}
