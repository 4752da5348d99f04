// Price-time-priority order book for one instrument. Commands in, events out; no clock, no I/O.
//
// Layout, chosen for a steady replay rate and memory that follows the live orders only:
// - Each order is a 64-byte record in one ArrayBuffer (float64 words for id, owner, price,
//   quantity, time; int32 words for links and flags), so touching an order costs one cache line
//   rather than one per field. A freed record is reused by the next order (LIFO, so hot).
// - Each price level is a 32-byte record heading an intrusive doubly linked list of its orders:
//   a cancel anywhere in the queue is O(1) and nothing inside a level is ever copied.
// - Per side, a PriceIndex finds the level of a price (a dense array over the price band, a
//   hash outside it), and an array of level records sorted with the best price LAST gives the
//   best level in O(1). A new level is inserted by shifting from the best end, where activity
//   concentrates: its cost is its distance from the top of the book, not the size of the book.
// - Order ids map to records through an OrderIdIndex: a slot per id modulo a table of at least
//   eight slots per live order, checked against the id in the record (a JS Map cost more than the
//   rest of the matching path and allocates per operation; a hash map still spent most of a
//   cancel probing and shifting).
// - A command allocates its result and, when other orders were touched, its events; a place
//   that rests or a cancel allocates the result alone.
//
// Why one file of ~1,000 lines: the record layout above is shared by every method through word
// offsets and inlined accessors; splitting the class would put those offsets behind module
// boundaries and calls V8 does not always inline on the hot path (bench:matching measures it).
// PriceIndex, OrderIdIndex, IntMap and the uncross step already live in their own modules.
import type {
  AmendOrder,
  ApplyResult,
  BookCommand,
  BookConfig,
  BookEvent,
  BookSnapshot,
  CancelOrder,
  CancelReason,
  Depth,
  DepthLevel,
  ExpireDay,
  PlaceOrder,
  RejectCode,
  RestingOrder,
  SetMode,
  SetReferencePrice,
  Side,
  StpMode,
  TimeInForce,
  TradingMode,
  Uncross,
} from './types.ts';
import { isValidBand, priceBand } from './price-band.ts';
import { findUncrossPrice } from './uncross.ts';
import { OrderIdIndex } from './order-id-index.ts';
import { PriceIndex } from './price-index.ts';
import type { AuctionLevel } from './uncross.ts';

const NONE = -1;
const BUY = 0;
const SELL = 1;
const TIF_GTC = 0;
const TIF_DAY = 1;
const TIF_IOC = 2;
const TIF_FOK = 3;
const STP_NONE = 0;
const STP_NEWEST = 1;
const STP_OLDEST = 2;
const STP_BOTH = 3;
const MODE_CONTINUOUS = 0;
const MODE_AUCTION = 1;
const MODE_HALTED = 2;

// Order record: 8 float64 words = 16 int32 words, addressed by its float64 base o (a multiple
// of 8); its int32 words start at o << 1. What matching and cancelling touch comes first (40
// bytes), what only views and auctions read comes last.
const O_WORDS = 8;
const O_ID = 0; // word 0: OrderIdIndex reads ids at the record base
const O_OWNER = 1;
const O_QTY = 2;
const O_NEXT = 6; // int32: next order in the level (base) or NONE
const O_PREV = 7; // int32 (meaningless while the order heads its level)
const O_LEVEL = 8; // int32: level base
const O_FLAGS = 9; // int32: bit 0 side, bits 1-2 tif, bits 3-4 stp, bit 5 post-only
const O_PRICE = 5;
const O_TS = 6;
const O_QUEUED = 7;
// Level record: 4 float64 words = 8 int32 words, base L (a multiple of 4).
const L_WORDS = 4;
const L_PRICE = 0;
const L_QTY = 1;
const L_COUNT = 4; // int32 at (L << 1) + k
const L_HEAD = 5;
const L_TAIL = 6;

/**
 * Reads an integer out of a Float64Array word for use in an event. V8 loads Float64Array
 * elements as heap-allocated doubles, which would make every numeric field of every event a boxed
 * double (six allocations per fill); Math.floor hands back a small integer instead, so events
 * keep plain small-integer fields. Values are whole numbers already: nothing is rounded.
 */
const whole = Math.floor;

function flags(side: number, tif: number, stp: number, postOnly: boolean): number {
  return side | (tif << 1) | (stp << 3) | (postOnly ? 32 : 0);
}

const SIDE_NAMES: readonly Side[] = ['buy', 'sell'];
const TIF_NAMES: readonly TimeInForce[] = ['GTC', 'DAY', 'IOC', 'FOK'];
const STP_NAMES: readonly StpMode[] = ['none', 'cancel_newest', 'cancel_oldest', 'cancel_both'];
const MODE_NAMES: readonly TradingMode[] = ['continuous', 'auction', 'halted'];

function sideCode(s: unknown): number {
  return s === 'buy' ? BUY : s === 'sell' ? SELL : NONE;
}
function tifCode(t: unknown): number {
  switch (t) {
    case 'GTC':
      return TIF_GTC;
    case 'DAY':
      return TIF_DAY;
    case 'IOC':
      return TIF_IOC;
    case 'FOK':
      return TIF_FOK;
    default:
      return NONE;
  }
}
function stpCode(m: unknown): number {
  switch (m) {
    case undefined:
    case 'none':
      return STP_NONE;
    case 'cancel_newest':
      return STP_NEWEST;
    case 'cancel_oldest':
      return STP_OLDEST;
    case 'cancel_both':
      return STP_BOTH;
    default:
      return NONE;
  }
}
function modeCode(m: unknown): number {
  return m === 'continuous' ? MODE_CONTINUOUS : m === 'auction' ? MODE_AUCTION : m === 'halted' ? MODE_HALTED : NONE;
}
function isQty(q: unknown): q is number {
  return Number.isSafeInteger(q) && (q as number) > 0;
}
const isPrice = isQty;

function checkConfig(c: BookConfig): void {
  if (typeof c.symbol !== 'string') throw new TypeError('BookConfig.symbol must be a string');
  if (!isValidBand(c.referencePriceTicks, c.priceBandBps)) {
    throw new RangeError(`BookConfig: bad reference price ${c.referencePriceTicks} or band ${c.priceBandBps} bps`);
  }
  if (!isQty(c.minQtyLots)) throw new RangeError(`BookConfig.minQtyLots must be a positive integer, got ${c.minQtyLots}`);
  if (c.mode !== undefined && modeCode(c.mode) === NONE) throw new RangeError(`BookConfig.mode: unknown mode ${String(c.mode)}`);
}

/**
 * Shared by every result without events, so that a place that rests and a cancel allocate their
 * result alone. Results hand events out as readonly; not frozen, because a frozen array has
 * elements of another kind and would make every reader of `events` polymorphic.
 */
const NO_EVENTS: BookEvent[] = [];

function result(code: ApplyResult['code'], events: BookEvent[], sequence: number): ApplyResult {
  return { code, events, sequence, restedLots: 0, cancelledLots: 0, cancelReason: null };
}

/** The outcome of an accepted place, amend or cancel for the command's own order. */
function own(events: BookEvent[], sequence: number, restedLots: number, cancelledLots: number, cancelReason: CancelReason | null): ApplyResult {
  return { code: 'OK', events, sequence, restedLots, cancelledLots, cancelReason };
}

export class OrderBook {
  private cfg: BookConfig;
  private modeNo: number;
  private seq = 0;
  private bandLow: number;
  private bandHigh: number;
  private readonly minQty: number;

  // Order records (see O_*), one buffer seen as float64 and int32 words.
  private of = new Float64Array(0);
  private oi = new Int32Array(0);
  private oCap = 0; // records
  private oUsed = 0; // records ever handed out (high-water mark)
  private oFree = NONE; // free list through O_NEXT
  private readonly slotOf = new OrderIdIndex(1024);

  // Level records (see L_*).
  private lf = new Float64Array(0);
  private li = new Int32Array(0);
  private lCap = 0;
  private lUsed = 0;
  private lFree = NONE; // free list through L_HEAD
  /** Level bases per side sorted worst → best (bids ascending, asks descending). */
  private bidLv = new Int32Array(64);
  private askLv = new Int32Array(64);
  private bidN = 0;
  private askN = 0;
  private readonly bidAt: PriceIndex;
  private readonly askAt: PriceIndex;

  /** Set by match(): self-trade prevention removed the rest of the taker. */
  private takerStopped = false;

  constructor(config: BookConfig) {
    checkConfig(config);
    const mode = config.mode ?? 'continuous';
    this.cfg = Object.freeze({ ...config, mode });
    this.modeNo = modeCode(mode);
    const band = priceBand(config.referencePriceTicks, config.priceBandBps);
    this.bandLow = band.lowTicks;
    this.bandHigh = band.highTicks;
    this.minQty = config.minQtyLots;
    this.bidAt = new PriceIndex(band.lowTicks, band.highTicks);
    this.askAt = new PriceIndex(band.lowTicks, band.highTicks);
    this.growOrders(1024);
    this.growLevels(256);
  }

  get sequence(): number {
    return this.seq;
  }
  get mode(): TradingMode {
    return MODE_NAMES[this.modeNo]!;
  }
  /** Current configuration: the reference price and mode follow the commands applied. */
  get config(): BookConfig {
    return this.cfg;
  }
  /** Number of resting orders. */
  get size(): number {
    return this.slotOf.size;
  }

  /**
   * Memory in use: order and level records ever handed out (the high-water mark of live ones,
   * since freed records are reused) and their capacity. Flat in the number of orders ever seen.
   */
  stats(): { liveOrders: number; orderRecords: number; orderCapacity: number; levels: number; levelRecords: number } {
    return {
      liveOrders: this.slotOf.size,
      orderRecords: this.oUsed,
      orderCapacity: this.oCap,
      levels: this.bidN + this.askN,
      levelRecords: this.lUsed,
    };
  }

  bestBid(): number | undefined {
    return this.bidN > 0 ? this.lf[this.bidLv[this.bidN - 1]! + L_PRICE] : undefined;
  }
  bestAsk(): number | undefined {
    return this.askN > 0 ? this.lf[this.askLv[this.askN - 1]! + L_PRICE] : undefined;
  }

  apply(cmd: BookCommand): ApplyResult {
    switch (cmd.type) {
      case 'place':
        return this.place(cmd);
      case 'cancel':
        return this.cancel(cmd);
      case 'amend':
        return this.amend(cmd);
      case 'setMode':
        return this.setMode(cmd);
      case 'uncross':
        return this.uncross(cmd);
      case 'expireDay':
        return this.expireDay(cmd);
      case 'setReferencePrice':
        return this.setReferencePrice(cmd);
      default:
        return result('INVALID_ORDER', NO_EVENTS, this.seq);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  private reject(orderId: number, code: RejectCode, timestamp: number): ApplyResult {
    return result(code, [{ type: 'rejected', orderId, code, timestamp }], this.seq);
  }

  private place(c: PlaceOrder): ApplyResult {
    const s = sideCode(c.side);
    const tif = tifCode(c.tif);
    const stp = stpCode(c.stp);
    const market = c.kind === 'market';
    const ts = c.timestamp;
    const postOnly = c.postOnly === true;
    const orderId = c.orderId;
    const ownerId = c.ownerId;
    if (
      s === NONE ||
      tif === NONE ||
      stp === NONE ||
      (!market && c.kind !== 'limit') ||
      !Number.isSafeInteger(orderId) ||
      !Number.isSafeInteger(ownerId) ||
      !Number.isFinite(ts) ||
      (postOnly && (market || tif === TIF_IOC || tif === TIF_FOK))
    ) {
      return this.reject(orderId, 'INVALID_ORDER', ts);
    }
    if (this.modeNo === MODE_HALTED) return this.reject(orderId, 'INSTRUMENT_HALTED', ts);
    if (this.slotOf.get(orderId, this.of) !== NONE) return this.reject(orderId, 'DUPLICATE_ORDER_ID', ts);
    const qty = c.qtyLots;
    if (!isQty(qty)) return this.reject(orderId, 'INVALID_QUANTITY', ts);
    if (qty < this.minQty) return this.reject(orderId, 'BELOW_MIN_QUANTITY', ts);
    let limit: number;
    if (market) {
      if (this.modeNo === MODE_AUCTION) return this.reject(orderId, 'MARKET_ORDER_IN_AUCTION', ts);
      limit = s === BUY ? this.bandHigh : this.bandLow;
      if (!this.crosses(s, limit)) return this.reject(orderId, 'NO_LIQUIDITY', ts);
    } else {
      limit = c.priceTicks;
      if (!isPrice(limit)) return this.reject(orderId, 'INVALID_PRICE', ts);
      if (limit < this.bandLow || limit > this.bandHigh) return this.reject(orderId, 'PRICE_OUT_OF_BAND', ts);
      if (this.modeNo === MODE_AUCTION && (tif === TIF_IOC || tif === TIF_FOK)) {
        return this.reject(orderId, 'TIF_NOT_ALLOWED_IN_AUCTION', ts);
      }
      if (postOnly && this.modeNo === MODE_CONTINUOUS && this.crosses(s, limit)) {
        return this.reject(orderId, 'POST_ONLY_WOULD_TRADE', ts);
      }
    }

    const seq = ++this.seq;
    // Fills (and makers removed by STP) are events; what became of this order is the result's.
    let events = NO_EVENTS;
    let remaining = qty;
    if (this.modeNo === MODE_CONTINUOUS) {
      if (tif === TIF_FOK && !this.fillable(s, limit, qty, ownerId, stp)) return own(NO_EVENTS, seq, 0, qty, 'fok_unfilled');
      let stopped = false;
      if (this.crosses(s, limit)) {
        events = [];
        remaining = this.match(events, orderId, ownerId, s, limit, qty, stp, ts);
        if (remaining === 0) return own(events, seq, 0, 0, null);
        stopped = this.takerStopped;
      }
      let reason: CancelReason | null = null;
      if (stopped) reason = 'stp';
      else if (market) reason = 'market_remainder';
      else if (tif === TIF_IOC) reason = 'ioc_remainder';
      else if (tif === TIF_FOK) reason = 'fok_unfilled'; // unreachable: fillable() said it fills
      if (reason !== null) return own(events, seq, 0, remaining, reason);
    }
    const o = this.allocOrder();
    const of = this.of;
    of[o + O_ID] = orderId;
    of[o + O_OWNER] = ownerId;
    of[o + O_PRICE] = limit;
    of[o + O_QTY] = remaining;
    of[o + O_TS] = ts;
    of[o + O_QUEUED] = seq;
    this.oi[(o << 1) + O_FLAGS] = flags(s, tif, stp, postOnly);
    this.slotOf.add(orderId, o, of);
    this.link(o, s, limit);
    return own(events, seq, remaining, 0, null);
  }

  private cancel(c: CancelOrder): ApplyResult {
    const o = this.slotOf.get(c.orderId, this.of);
    if (o === NONE) return this.reject(c.orderId, 'UNKNOWN_ORDER', c.timestamp);
    const left = whole(this.of[o + O_QTY]!);
    this.unlink(o);
    this.freeOrder(o);
    return own(NO_EVENTS, ++this.seq, 0, left, 'user');
  }

  private amend(c: AmendOrder): ApplyResult {
    const ts = c.timestamp;
    if (!Number.isFinite(ts)) return this.reject(c.orderId, 'INVALID_ORDER', ts);
    if (this.modeNo === MODE_HALTED) return this.reject(c.orderId, 'INSTRUMENT_HALTED', ts);
    const o = this.slotOf.get(c.orderId, this.of);
    if (o === NONE) return this.reject(c.orderId, 'UNKNOWN_ORDER', ts);
    const oldPrice = this.of[o + O_PRICE]!;
    const oldQty = this.of[o + O_QTY]!;
    const price = c.priceTicks ?? oldPrice;
    const qty = c.qtyLots ?? oldQty;
    if (qty !== oldQty) {
      if (!isQty(qty)) return this.reject(c.orderId, 'INVALID_QUANTITY', ts);
      if (qty < this.minQty) return this.reject(c.orderId, 'BELOW_MIN_QUANTITY', ts);
    }
    if (price !== oldPrice) {
      if (!isPrice(price)) return this.reject(c.orderId, 'INVALID_PRICE', ts);
      if (price < this.bandLow || price > this.bandHigh) return this.reject(c.orderId, 'PRICE_OUT_OF_BAND', ts);
    }
    if (price === oldPrice && qty === oldQty) return this.reject(c.orderId, 'AMEND_NO_CHANGE', ts);
    const fl = this.oi[(o << 1) + O_FLAGS]!;
    const s = fl & 1;
    if (price !== oldPrice && (fl & 32) !== 0 && this.modeNo === MODE_CONTINUOUS && this.crosses(s, price)) {
      return this.reject(c.orderId, 'POST_ONLY_WOULD_TRADE', ts);
    }

    const seq = ++this.seq;
    const priorityLost = price !== oldPrice || qty > oldQty;
    const events: BookEvent[] = [
      { type: 'amended', orderId: c.orderId, priceTicks: price, remainingLots: qty, priorityLost, timestamp: ts },
    ];
    if (!priorityLost) {
      // Reducing quantity keeps the place in the queue.
      this.of[o + O_QTY] = qty;
      const L = this.oi[(o << 1) + O_LEVEL]!;
      this.lf[L + L_QTY] = this.lf[L + L_QTY]! - (oldQty - qty);
      return own(events, seq, qty, 0, null);
    }
    // Losing priority is a cancel-replace: the order re-enters as if new, and may trade.
    this.unlink(o);
    let remaining = qty;
    if (this.modeNo === MODE_CONTINUOUS && this.crosses(s, price)) {
      const owner = whole(this.of[o + O_OWNER]!);
      remaining = this.match(events, c.orderId, owner, s, price, qty, (fl >> 3) & 3, ts);
      if (remaining === 0) {
        this.freeOrder(o);
        return own(events, seq, 0, 0, null);
      }
      if (this.takerStopped) {
        this.freeOrder(o);
        return own(events, seq, 0, remaining, 'stp');
      }
    }
    const of = this.of;
    of[o + O_PRICE] = price;
    of[o + O_QTY] = remaining;
    of[o + O_TS] = ts;
    of[o + O_QUEUED] = seq;
    this.link(o, s, price);
    return own(events, seq, remaining, 0, null);
  }

  private setMode(c: SetMode): ApplyResult {
    const m = modeCode(c.mode);
    if (m === NONE || !Number.isFinite(c.timestamp)) return result('INVALID_ORDER', NO_EVENTS, this.seq);
    if (m === this.modeNo) return result('OK', NO_EVENTS, this.seq);
    const events: BookEvent[] = [];
    // Continuous trading needs an uncrossed book; orders collected in an auction that was never
    // uncrossed are uncrossed now, before the mode changes.
    if (m === MODE_CONTINUOUS) this.uncrossAll(events, c.timestamp);
    this.modeNo = m;
    this.cfg = Object.freeze({ ...this.cfg, mode: c.mode });
    events.push({ type: 'modeChanged', mode: c.mode, timestamp: c.timestamp });
    return result('OK', events, ++this.seq);
  }

  private uncross(c: Uncross): ApplyResult {
    if (this.modeNo !== MODE_AUCTION) return result('NOT_IN_AUCTION', NO_EVENTS, this.seq);
    const events: BookEvent[] = [];
    this.uncrossAll(events, c.timestamp);
    return result('OK', events, events.length > 0 ? ++this.seq : this.seq);
  }

  private expireDay(c: ExpireDay): ApplyResult {
    const events: BookEvent[] = [];
    const expiring: number[] = [];
    this.forEachResting((o) => {
      if (((this.oi[(o << 1) + O_FLAGS]! >> 1) & 3) === TIF_DAY) expiring.push(o);
    });
    for (const o of expiring) this.cancelResting(events, o, 'expired', c.timestamp);
    return result('OK', events, events.length > 0 ? ++this.seq : this.seq);
  }

  private setReferencePrice(c: SetReferencePrice): ApplyResult {
    const ref = c.referencePriceTicks;
    if (!isValidBand(ref, this.cfg.priceBandBps)) return result('INVALID_PRICE', NO_EVENTS, this.seq);
    if (ref === this.cfg.referencePriceTicks) return result('OK', NO_EVENTS, this.seq);
    this.cfg = Object.freeze({ ...this.cfg, referencePriceTicks: ref });
    const band = priceBand(ref, this.cfg.priceBandBps);
    this.bandLow = band.lowTicks;
    this.bandHigh = band.highTicks;
    this.bidAt.recenter(band.lowTicks, band.highTicks, this.levelEntries(BUY));
    this.askAt.recenter(band.lowTicks, band.highTicks, this.levelEntries(SELL));
    return result('OK', [{ type: 'referenceChanged', referencePriceTicks: ref, timestamp: c.timestamp }], ++this.seq);
  }

  // ---------------------------------------------------------------------------------------------
  // Matching

  private levelEntries(s: number): [number, number][] {
    const lv = s === BUY ? this.bidLv : this.askLv;
    const out: [number, number][] = [];
    for (let i = 0; i < (s === BUY ? this.bidN : this.askN); i++) out.push([this.lf[lv[i]! + L_PRICE]!, lv[i]!]);
    return out;
  }

  /** Would a side-s order at this price trade against the opposite best? */
  private crosses(s: number, price: number): boolean {
    if (s === BUY) return this.askN > 0 && this.lf[this.askLv[this.askN - 1]! + L_PRICE]! <= price;
    return this.bidN > 0 && this.lf[this.bidLv[this.bidN - 1]! + L_PRICE]! >= price;
  }

  /**
   * Can a FOK order fill completely? Walks the opposite side as match() would: with STP, an own
   * order is skipped (cancel_oldest removes it) or ends the walk (cancel_newest/both stop the taker).
   */
  private fillable(s: number, limit: number, qty: number, owner: number, stp: number): boolean {
    const lv = s === BUY ? this.askLv : this.bidLv;
    const lf = this.lf;
    const li = this.li;
    const of = this.of;
    const oi = this.oi;
    let need = qty;
    for (let i = (s === BUY ? this.askN : this.bidN) - 1; i >= 0; i--) {
      const L = lv[i]!;
      const p = lf[L + L_PRICE]!;
      if (s === BUY ? p > limit : p < limit) return false;
      if (stp === STP_NONE) {
        need -= lf[L + L_QTY]!;
        if (need <= 0) return true;
        continue;
      }
      for (let m = li[(L << 1) + L_HEAD]!; m !== NONE; m = oi[(m << 1) + O_NEXT]!) {
        if (of[m + O_OWNER] === owner) {
          if (stp === STP_OLDEST) continue;
          return false;
        }
        need -= of[m + O_QTY]!;
        if (need <= 0) return true;
      }
    }
    return false;
  }

  /** Trades an incoming order against the opposite side; returns what is left of it. */
  private match(events: BookEvent[], takerId: number, takerOwner: number, s: number, limit: number, qty: number, stp: number, ts: number): number {
    this.takerStopped = false;
    const buy = s === BUY;
    const aggressorSide = SIDE_NAMES[s]!;
    const lv = buy ? this.askLv : this.bidLv;
    const at = buy ? this.askAt : this.bidAt;
    const lf = this.lf;
    const li = this.li;
    const of = this.of;
    const oi = this.oi;
    let q = qty;
    let n = buy ? this.askN : this.bidN;
    while (q > 0 && n > 0) {
      const L = lv[n - 1]!;
      const price = whole(lf[L + L_PRICE]!);
      if (buy ? price > limit : price < limit) break;
      const headAt = (L << 1) + L_HEAD;
      let m = li[headAt]!;
      while (m !== NONE && q > 0) {
        const next = oi[(m << 1) + O_NEXT]!;
        const makerOwner = whole(of[m + O_OWNER]!);
        const makerQty = whole(of[m + O_QTY]!);
        if (stp !== STP_NONE && makerOwner === takerOwner) {
          if (stp === STP_NEWEST) {
            this.takerStopped = true;
            break;
          }
          events.push({ type: 'cancelled', orderId: whole(of[m + O_ID]!), ownerId: makerOwner, remainingLots: makerQty, reason: 'stp', timestamp: ts });
          this.popHead(L, m, next, makerQty);
          if (stp === STP_BOTH) {
            this.takerStopped = true;
            break;
          }
          m = next;
          continue;
        }
        const f = q < makerQty ? q : makerQty;
        q -= f;
        const makerLeft = makerQty - f;
        events.push({
          type: 'fill',
          takerOrderId: takerId,
          makerOrderId: whole(of[m + O_ID]!),
          takerOwnerId: takerOwner,
          makerOwnerId: makerOwner,
          aggressorSide,
          priceTicks: price,
          qtyLots: f,
          takerRemainingLots: q,
          makerRemainingLots: makerLeft,
          timestamp: ts,
        });
        if (makerLeft === 0) {
          this.popHead(L, m, next, makerQty);
        } else {
          of[m + O_QTY] = makerLeft;
          lf[L + L_QTY] = lf[L + L_QTY]! - f;
        }
        m = next;
      }
      if (li[headAt] === NONE) {
        n--;
        at.delete(price);
        this.freeLevel(L);
      }
      if (this.takerStopped) break;
    }
    if (buy) this.askN = n;
    else this.bidN = n;
    return q;
  }

  /**
   * Removes the head order m of level L (next is its successor) and frees its record. The new
   * head's prev link is left stale rather than cleared (one cache line less per fill): the head
   * is recognised by the level's head pointer, never by its prev link.
   */
  private popHead(L: number, m: number, next: number, qty: number): void {
    const li = this.li;
    const L2 = L << 1;
    li[L2 + L_HEAD] = next;
    if (next === NONE) li[L2 + L_TAIL] = NONE;
    li[L2 + L_COUNT] = li[L2 + L_COUNT]! - 1;
    this.lf[L + L_QTY] = this.lf[L + L_QTY]! - qty;
    this.freeOrder(m);
  }

  /** Uncrosses at the equilibrium price; repeats only if self-trade prevention left it crossed. */
  private uncrossAll(events: BookEvent[], ts: number): void {
    for (;;) {
      const u = findUncrossPrice(this.auctionLevels(BUY), this.auctionLevels(SELL), this.cfg.referencePriceTicks);
      if (u === undefined) return;
      this.executeAuction(events, u.priceTicks, ts);
    }
  }

  /** One side's levels, best first. */
  private auctionLevels(s: number): AuctionLevel[] {
    const lv = s === BUY ? this.bidLv : this.askLv;
    const out: AuctionLevel[] = [];
    for (let i = (s === BUY ? this.bidN : this.askN) - 1; i >= 0; i--) {
      const L = lv[i]!;
      out.push({ priceTicks: this.lf[L + L_PRICE]!, qtyLots: this.lf[L + L_QTY]! });
    }
    return out;
  }

  /** Pairs bids priced >= p with asks priced <= p in priority order, all at price p. */
  private executeAuction(events: BookEvent[], p: number, ts: number): void {
    for (;;) {
      if (this.bidN === 0 || this.askN === 0) return;
      const bl = this.bidLv[this.bidN - 1]!;
      const al = this.askLv[this.askN - 1]!;
      if (this.lf[bl + L_PRICE]! < p || this.lf[al + L_PRICE]! > p) return;
      const b = this.li[(bl << 1) + L_HEAD]!;
      const a = this.li[(al << 1) + L_HEAD]!;
      const of = this.of;
      // The later-queued order is the taker (then the later timestamp, then the bid).
      const bq = of[b + O_QUEUED]!;
      const aq = of[a + O_QUEUED]!;
      const bt = of[b + O_TS]!;
      const at = of[a + O_TS]!;
      const bidTakes = bq !== aq ? bq > aq : bt !== at ? bt > at : true;
      const t = bidTakes ? b : a;
      const m = bidTakes ? a : b;
      const stp = (this.oi[(t << 1) + O_FLAGS]! >> 3) & 3;
      if (stp !== STP_NONE && of[t + O_OWNER] === of[m + O_OWNER]) {
        if (stp === STP_OLDEST || stp === STP_BOTH) this.cancelResting(events, m, 'stp', ts);
        if (stp === STP_NEWEST || stp === STP_BOTH) this.cancelResting(events, t, 'stp', ts);
        continue;
      }
      const tq = whole(of[t + O_QTY]!);
      const mq = whole(of[m + O_QTY]!);
      const f = tq < mq ? tq : mq;
      events.push({
        type: 'fill',
        takerOrderId: whole(of[t + O_ID]!),
        makerOrderId: whole(of[m + O_ID]!),
        takerOwnerId: whole(of[t + O_OWNER]!),
        makerOwnerId: whole(of[m + O_OWNER]!),
        aggressorSide: bidTakes ? 'buy' : 'sell',
        priceTicks: p,
        qtyLots: f,
        takerRemainingLots: tq - f,
        makerRemainingLots: mq - f,
        timestamp: ts,
      });
      this.reduceResting(t, f);
      this.reduceResting(m, f);
    }
  }

  private reduceResting(o: number, f: number): void {
    const left = this.of[o + O_QTY]! - f;
    if (left === 0) {
      this.unlink(o);
      this.freeOrder(o);
    } else {
      this.of[o + O_QTY] = left;
      const L = this.oi[(o << 1) + O_LEVEL]!;
      this.lf[L + L_QTY] = this.lf[L + L_QTY]! - f;
    }
  }

  private cancelResting(events: BookEvent[], o: number, reason: CancelReason, ts: number): void {
    const of = this.of;
    events.push({ type: 'cancelled', orderId: whole(of[o + O_ID]!), ownerId: whole(of[o + O_OWNER]!), remainingLots: whole(of[o + O_QTY]!), reason, timestamp: ts });
    this.unlink(o);
    this.freeOrder(o);
  }

  // ---------------------------------------------------------------------------------------------
  // Levels and records

  /** Appends order o (quantity set) at the tail of the side-s level at `price`. */
  private link(o: number, s: number, price: number): void {
    const at = s === BUY ? this.bidAt : this.askAt;
    let L = at.get(price);
    if (L === NONE) {
      L = this.newLevel(s, price);
      at.set(price, L);
    }
    const li = this.li;
    const oi = this.oi;
    const L2 = L << 1;
    const o2 = o << 1;
    const tail = li[L2 + L_TAIL]!;
    oi[o2 + O_PREV] = tail;
    oi[o2 + O_NEXT] = NONE;
    oi[o2 + O_LEVEL] = L;
    if (tail === NONE) li[L2 + L_HEAD] = o;
    else oi[(tail << 1) + O_NEXT] = o;
    li[L2 + L_TAIL] = o;
    li[L2 + L_COUNT] = li[L2 + L_COUNT]! + 1;
    this.lf[L + L_QTY] = this.lf[L + L_QTY]! + this.of[o + O_QTY]!;
  }

  /** Takes order o out of its level (dropping the level if it empties); the record stays. */
  private unlink(o: number): void {
    const oi = this.oi;
    const li = this.li;
    const o2 = o << 1;
    const L = oi[o2 + O_LEVEL]!;
    const L2 = L << 1;
    const prev = li[L2 + L_HEAD] === o ? NONE : oi[o2 + O_PREV]!;
    const next = oi[o2 + O_NEXT]!;
    if (prev === NONE) li[L2 + L_HEAD] = next;
    else oi[(prev << 1) + O_NEXT] = next;
    if (next === NONE) li[L2 + L_TAIL] = prev;
    else oi[(next << 1) + O_PREV] = prev;
    this.lf[L + L_QTY] = this.lf[L + L_QTY]! - this.of[o + O_QTY]!;
    const left = li[L2 + L_COUNT]! - 1;
    li[L2 + L_COUNT] = left;
    if (left === 0) this.dropLevel(oi[o2 + O_FLAGS]! & 1, L);
  }

  private newLevel(s: number, price: number): number {
    let L = this.lFree;
    if (L !== NONE) this.lFree = this.li[(L << 1) + L_HEAD]!;
    else {
      if (this.lUsed === this.lCap) this.growLevels(this.lCap * 2);
      L = this.lUsed++ * L_WORDS;
    }
    const lf = this.lf;
    const li = this.li;
    const L2 = L << 1;
    lf[L + L_PRICE] = price;
    lf[L + L_QTY] = 0;
    li[L2 + L_COUNT] = 0;
    li[L2 + L_HEAD] = NONE;
    li[L2 + L_TAIL] = NONE;
    // Insert into the sorted side array, shifting from the best end.
    if (s === BUY) {
      if (this.bidN === this.bidLv.length) this.bidLv = growI32(this.bidLv, this.bidLv.length * 2);
      const lv = this.bidLv;
      let i = this.bidN - 1;
      while (i >= 0 && lf[lv[i]! + L_PRICE]! > price) {
        lv[i + 1] = lv[i]!;
        i--;
      }
      lv[i + 1] = L;
      this.bidN++;
    } else {
      if (this.askN === this.askLv.length) this.askLv = growI32(this.askLv, this.askLv.length * 2);
      const lv = this.askLv;
      let i = this.askN - 1;
      while (i >= 0 && lf[lv[i]! + L_PRICE]! < price) {
        lv[i + 1] = lv[i]!;
        i--;
      }
      lv[i + 1] = L;
      this.askN++;
    }
    return L;
  }

  /** Removes an empty level from its side (any position) and frees it. */
  private dropLevel(s: number, L: number): void {
    const lv = s === BUY ? this.bidLv : this.askLv;
    const n = s === BUY ? this.bidN : this.askN;
    let i = n - 1;
    while (lv[i] !== L) i--;
    for (; i < n - 1; i++) lv[i] = lv[i + 1]!;
    const price = this.lf[L + L_PRICE]!;
    if (s === BUY) {
      this.bidN--;
      this.bidAt.delete(price);
    } else {
      this.askN--;
      this.askAt.delete(price);
    }
    this.freeLevel(L);
  }

  private freeLevel(L: number): void {
    this.li[(L << 1) + L_HEAD] = this.lFree;
    this.lFree = L;
  }

  private allocOrder(): number {
    const o = this.oFree;
    if (o !== NONE) {
      this.oFree = this.oi[(o << 1) + O_NEXT]!;
      return o;
    }
    if (this.oUsed === this.oCap) this.growOrders(this.oCap * 2);
    return this.oUsed++ * O_WORDS;
  }

  private freeOrder(o: number): void {
    this.slotOf.delete(this.of[o + O_ID]!, o);
    this.oi[(o << 1) + O_NEXT] = this.oFree;
    this.oFree = o;
  }

  private growOrders(records: number): void {
    const buf = new ArrayBuffer(records * O_WORDS * 8);
    new Uint8Array(buf).set(new Uint8Array(this.of.buffer, this.of.byteOffset, this.of.byteLength));
    this.of = new Float64Array(buf);
    this.oi = new Int32Array(buf);
    this.oCap = records;
  }

  private growLevels(records: number): void {
    const buf = new ArrayBuffer(records * L_WORDS * 8);
    new Uint8Array(buf).set(new Uint8Array(this.lf.buffer, this.lf.byteOffset, this.lf.byteLength));
    this.lf = new Float64Array(buf);
    this.li = new Int32Array(buf);
    this.lCap = records;
  }

  // ---------------------------------------------------------------------------------------------
  // Views

  /** Calls f for every resting order: bids best first, then asks best first, each in queue order. */
  private forEachResting(f: (o: number) => void): void {
    const li = this.li;
    const oi = this.oi;
    for (let i = this.bidN - 1; i >= 0; i--) {
      for (let o = li[(this.bidLv[i]! << 1) + L_HEAD]!; o !== NONE; o = oi[(o << 1) + O_NEXT]!) f(o);
    }
    for (let i = this.askN - 1; i >= 0; i--) {
      for (let o = li[(this.askLv[i]! << 1) + L_HEAD]!; o !== NONE; o = oi[(o << 1) + O_NEXT]!) f(o);
    }
  }

  private view(o: number): RestingOrder {
    const of = this.of;
    const fl = this.oi[(o << 1) + O_FLAGS]!;
    return {
      orderId: of[o + O_ID]!,
      ownerId: of[o + O_OWNER]!,
      side: SIDE_NAMES[fl & 1]!,
      priceTicks: of[o + O_PRICE]!,
      remainingLots: of[o + O_QTY]!,
      tif: TIF_NAMES[(fl >> 1) & 3]!,
      stp: STP_NAMES[(fl >> 3) & 3]!,
      timestamp: of[o + O_TS]!,
      postOnly: (fl & 32) !== 0,
      queuedSequence: of[o + O_QUEUED]!,
    };
  }

  /** L2: up to `levels` price levels per side, best first. */
  depth(levels: number): Depth {
    const n = Math.max(0, Math.floor(levels));
    const side = (lv: Int32Array, count: number): DepthLevel[] => {
      const out: DepthLevel[] = [];
      for (let i = count - 1; i >= 0 && out.length < n; i--) {
        const L = lv[i]!;
        out.push({ priceTicks: this.lf[L + L_PRICE]!, qtyLots: this.lf[L + L_QTY]!, orders: this.li[(L << 1) + L_COUNT]! });
      }
      return out;
    };
    return { sequence: this.seq, bids: side(this.bidLv, this.bidN), asks: side(this.askLv, this.askN) };
  }

  /** L3: every resting order, bids then asks, each side in priority order. */
  orders(): RestingOrder[] {
    const out: RestingOrder[] = [];
    this.forEachResting((o) => out.push(this.view(o)));
    return out;
  }

  getOrder(orderId: number): RestingOrder | undefined {
    const o = this.slotOf.get(orderId, this.of);
    return o === NONE ? undefined : this.view(o);
  }

  snapshot(): BookSnapshot {
    return { config: { ...this.cfg }, mode: this.mode, sequence: this.seq, orders: this.orders() };
  }

  /**
   * Rebuilds a book with exactly the snapshot's queues: orders are appended to their levels in
   * the order given. Throws on a snapshot no book could have produced (a bug, not a user error).
   */
  static restore(s: BookSnapshot): OrderBook {
    const book = new OrderBook({ ...s.config, mode: s.mode });
    if (!Number.isSafeInteger(s.sequence) || s.sequence < 0) throw new RangeError(`snapshot: bad sequence ${s.sequence}`);
    book.seq = s.sequence;
    for (const r of s.orders) {
      const side = sideCode(r.side);
      const tif = tifCode(r.tif);
      const stp = stpCode(r.stp);
      if (
        side === NONE ||
        tif === NONE ||
        tif === TIF_IOC ||
        tif === TIF_FOK ||
        stp === NONE ||
        !Number.isSafeInteger(r.orderId) ||
        !Number.isSafeInteger(r.ownerId) ||
        !isPrice(r.priceTicks) ||
        !isQty(r.remainingLots) ||
        !Number.isFinite(r.timestamp) ||
        (r.queuedSequence !== undefined && !(Number.isSafeInteger(r.queuedSequence) && r.queuedSequence >= 0 && r.queuedSequence <= s.sequence))
      ) {
        throw new RangeError(`snapshot: bad resting order ${JSON.stringify(r)}`);
      }
      if (book.slotOf.get(r.orderId, book.of) !== NONE) throw new RangeError(`snapshot: duplicate order id ${r.orderId}`);
      const o = book.allocOrder();
      const of = book.of;
      of[o + O_ID] = r.orderId;
      of[o + O_OWNER] = r.ownerId;
      of[o + O_PRICE] = r.priceTicks;
      of[o + O_QTY] = r.remainingLots;
      of[o + O_TS] = r.timestamp;
      of[o + O_QUEUED] = r.queuedSequence ?? 0;
      book.oi[(o << 1) + O_FLAGS] = flags(side, tif, stp, r.postOnly === true);
      book.slotOf.add(r.orderId, o, of);
      book.link(o, side, r.priceTicks);
    }
    if (book.modeNo === MODE_CONTINUOUS && book.crosses(BUY, book.bestBid() ?? 0)) {
      throw new RangeError('snapshot: crossed book in continuous mode');
    }
    return book;
  }

  /**
   * Checks the internal structure against the orders it holds; returns the first problem found.
   * For tests and debugging; O(orders).
   */
  verify(): string | undefined {
    const { of, oi, lf, li } = this;
    let seen = 0;
    for (const s of [BUY, SELL]) {
      const lv = s === BUY ? this.bidLv : this.askLv;
      const n = s === BUY ? this.bidN : this.askN;
      const at = s === BUY ? this.bidAt : this.askAt;
      if (at.size !== n) return `side ${s}: ${at.size} mapped levels, ${n} sorted`;
      for (let i = 0; i < n; i++) {
        const L = lv[i]!;
        const p = lf[L + L_PRICE]!;
        if (at.get(p) !== L) return `level ${p} not mapped`;
        if (i > 0) {
          const q = lf[lv[i - 1]! + L_PRICE]!;
          if (s === BUY ? q >= p : q <= p) return `side ${s} not sorted at ${i}`;
        }
        let count = 0;
        let qty = 0;
        let prev = NONE;
        for (let o = li[(L << 1) + L_HEAD]!; o !== NONE; o = oi[(o << 1) + O_NEXT]!) {
          const id = of[o + O_ID]!;
          if (prev !== NONE && oi[(o << 1) + O_PREV] !== prev) return `order ${id}: bad prev link`;
          if (oi[(o << 1) + O_LEVEL] !== L || of[o + O_PRICE] !== p || (oi[(o << 1) + O_FLAGS]! & 1) !== s) return `order ${id}: wrong level`;
          if (!(of[o + O_QTY]! > 0)) return `order ${id}: qty ${of[o + O_QTY]}`;
          if (this.slotOf.get(id, of) !== o) return `order ${id}: not indexed`;
          count++;
          qty += of[o + O_QTY]!;
          prev = o;
        }
        if (li[(L << 1) + L_TAIL] !== prev) return `level ${p}: bad tail`;
        if (count === 0 || count !== li[(L << 1) + L_COUNT] || qty !== lf[L + L_QTY]) return `level ${p}: count/qty mismatch`;
        seen += count;
      }
    }
    if (seen !== this.slotOf.size) return `${this.slotOf.size} indexed orders, ${seen} linked`;
    if (this.modeNo === MODE_CONTINUOUS && this.crosses(BUY, this.bestBid() ?? 0)) return 'crossed in continuous mode';
    return undefined;
  }
}

function growI32(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
