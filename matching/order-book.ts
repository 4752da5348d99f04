// Price-time-priority order book for one instrument. Commands in, events out; no clock, no I/O.
//
// Layout, chosen for a steady replay rate and memory that follows the live orders only:
// - Orders live in slots of parallel typed arrays; a freed slot is reused by the next order.
// - Each price level is an intrusive doubly linked list of order slots (oPrev/oNext), so a
//   cancel anywhere in the queue is O(1) and nothing is ever copied inside a level.
// - Per side, a Map finds the level of a price, and an array of level slots sorted with the
//   best price LAST gives the best level in O(1). New levels are inserted by shifting from the
//   best end, where activity concentrates, so the cost is the distance from the top of the book.
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

function result(code: ApplyResult['code'], events: BookEvent[], sequence: number): ApplyResult {
  return { code, events, sequence };
}

export class OrderBook {
  private cfg: BookConfig;
  private modeNo: number;
  private seq = 0;
  private bandLow: number;
  private bandHigh: number;
  private readonly minQty: number;

  // Order slots.
  private oCap = 0;
  private oUsed = 0;
  private oFree = NONE;
  private oId = new Float64Array(0);
  private oOwner = new Float64Array(0);
  private oPrice = new Float64Array(0);
  private oQty = new Float64Array(0);
  private oTs = new Float64Array(0);
  private oQueued = new Float64Array(0);
  private oSide = new Uint8Array(0);
  private oTif = new Uint8Array(0);
  private oStp = new Uint8Array(0);
  private oPost = new Uint8Array(0);
  private oNext = new Int32Array(0);
  private oPrev = new Int32Array(0);
  private oLevel = new Int32Array(0);
  private readonly slotOf = new Map<number, number>();

  // Price levels.
  private lCap = 0;
  private lUsed = 0;
  private lFree = NONE;
  private lPrice = new Float64Array(0);
  private lQty = new Float64Array(0);
  private lCount = new Int32Array(0);
  private lHead = new Int32Array(0);
  private lTail = new Int32Array(0);
  /** Level slots per side sorted worst → best (bids ascending, asks descending). */
  private bidLv = new Int32Array(64);
  private askLv = new Int32Array(64);
  private bidN = 0;
  private askN = 0;
  private readonly bidAt = new Map<number, number>();
  private readonly askAt = new Map<number, number>();

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

  bestBid(): number | undefined {
    return this.bidN > 0 ? this.lPrice[this.bidLv[this.bidN - 1]!] : undefined;
  }
  bestAsk(): number | undefined {
    return this.askN > 0 ? this.lPrice[this.askLv[this.askN - 1]!] : undefined;
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
        return result('INVALID_ORDER', [], this.seq);
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
    if (
      s === NONE ||
      tif === NONE ||
      stp === NONE ||
      (!market && c.kind !== 'limit') ||
      !Number.isSafeInteger(c.orderId) ||
      !Number.isSafeInteger(c.ownerId) ||
      !Number.isFinite(ts) ||
      (postOnly && (market || tif === TIF_IOC || tif === TIF_FOK))
    ) {
      return this.reject(c.orderId, 'INVALID_ORDER', ts);
    }
    if (this.modeNo === MODE_HALTED) return this.reject(c.orderId, 'INSTRUMENT_HALTED', ts);
    if (this.slotOf.has(c.orderId)) return this.reject(c.orderId, 'DUPLICATE_ORDER_ID', ts);
    const qty = c.qtyLots;
    if (!isQty(qty)) return this.reject(c.orderId, 'INVALID_QUANTITY', ts);
    if (qty < this.minQty) return this.reject(c.orderId, 'BELOW_MIN_QUANTITY', ts);
    let limit: number;
    if (market) {
      if (this.modeNo === MODE_AUCTION) return this.reject(c.orderId, 'MARKET_ORDER_IN_AUCTION', ts);
      limit = s === BUY ? this.bandHigh : this.bandLow;
      const best = s === BUY ? this.bestAsk() : this.bestBid();
      if (best === undefined || (s === BUY ? best > limit : best < limit)) return this.reject(c.orderId, 'NO_LIQUIDITY', ts);
    } else {
      limit = c.priceTicks;
      if (!isPrice(limit)) return this.reject(c.orderId, 'INVALID_PRICE', ts);
      if (limit < this.bandLow || limit > this.bandHigh) return this.reject(c.orderId, 'PRICE_OUT_OF_BAND', ts);
      if (this.modeNo === MODE_AUCTION && (tif === TIF_IOC || tif === TIF_FOK)) {
        return this.reject(c.orderId, 'TIF_NOT_ALLOWED_IN_AUCTION', ts);
      }
      if (postOnly && this.modeNo === MODE_CONTINUOUS && this.crosses(s, limit)) {
        return this.reject(c.orderId, 'POST_ONLY_WOULD_TRADE', ts);
      }
    }

    const seq = ++this.seq;
    const events: BookEvent[] = [
      { type: 'accepted', orderId: c.orderId, ownerId: c.ownerId, side: SIDE_NAMES[s]!, priceTicks: limit, qtyLots: qty, timestamp: ts },
    ];
    let remaining = qty;
    if (this.modeNo === MODE_CONTINUOUS) {
      if (tif === TIF_FOK && !this.fillable(s, limit, qty, c.ownerId, stp)) {
        events.push({ type: 'cancelled', orderId: c.orderId, ownerId: c.ownerId, remainingLots: qty, reason: 'fok_unfilled', timestamp: ts });
        return result('OK', events, seq);
      }
      remaining = this.match(events, c.orderId, c.ownerId, s, limit, qty, stp, ts);
      if (remaining === 0) return result('OK', events, seq);
      let reason: CancelReason | undefined;
      if (this.takerStopped) reason = 'stp';
      else if (market) reason = 'market_remainder';
      else if (tif === TIF_IOC) reason = 'ioc_remainder';
      else if (tif === TIF_FOK) reason = 'fok_unfilled'; // unreachable: fillable() said it fills
      if (reason !== undefined) {
        events.push({ type: 'cancelled', orderId: c.orderId, ownerId: c.ownerId, remainingLots: remaining, reason, timestamp: ts });
        return result('OK', events, seq);
      }
    }
    const o = this.allocOrder();
    this.oId[o] = c.orderId;
    this.oOwner[o] = c.ownerId;
    this.oPrice[o] = limit;
    this.oQty[o] = remaining;
    this.oTs[o] = ts;
    this.oQueued[o] = seq;
    this.oSide[o] = s;
    this.oTif[o] = tif;
    this.oStp[o] = stp;
    this.oPost[o] = postOnly ? 1 : 0;
    this.slotOf.set(c.orderId, o);
    this.link(o);
    events.push({ type: 'rested', orderId: c.orderId, priceTicks: limit, remainingLots: remaining, timestamp: ts });
    return result('OK', events, seq);
  }

  private cancel(c: CancelOrder): ApplyResult {
    const o = this.slotOf.get(c.orderId);
    if (o === undefined) return this.reject(c.orderId, 'UNKNOWN_ORDER', c.timestamp);
    const events: BookEvent[] = [
      { type: 'cancelled', orderId: c.orderId, ownerId: this.oOwner[o]!, remainingLots: this.oQty[o]!, reason: 'user', timestamp: c.timestamp },
    ];
    this.unlink(o);
    this.freeOrder(o);
    return result('OK', events, ++this.seq);
  }

  private amend(c: AmendOrder): ApplyResult {
    const ts = c.timestamp;
    if (!Number.isFinite(ts)) return this.reject(c.orderId, 'INVALID_ORDER', ts);
    if (this.modeNo === MODE_HALTED) return this.reject(c.orderId, 'INSTRUMENT_HALTED', ts);
    const o = this.slotOf.get(c.orderId);
    if (o === undefined) return this.reject(c.orderId, 'UNKNOWN_ORDER', ts);
    const oldPrice = this.oPrice[o]!;
    const oldQty = this.oQty[o]!;
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
    const s = this.oSide[o]!;
    if (price !== oldPrice && this.oPost[o] === 1 && this.modeNo === MODE_CONTINUOUS && this.crosses(s, price)) {
      return this.reject(c.orderId, 'POST_ONLY_WOULD_TRADE', ts);
    }

    const seq = ++this.seq;
    const priorityLost = price !== oldPrice || qty > oldQty;
    const events: BookEvent[] = [
      { type: 'amended', orderId: c.orderId, priceTicks: price, remainingLots: qty, priorityLost, timestamp: ts },
    ];
    if (!priorityLost) {
      // Reducing quantity keeps the place in the queue.
      this.oQty[o] = qty;
      const L = this.oLevel[o]!;
      this.lQty[L] = this.lQty[L]! - (oldQty - qty);
      return result('OK', events, seq);
    }
    // Losing priority is a cancel-replace: the order re-enters as if new, and may trade.
    this.unlink(o);
    let remaining = qty;
    if (this.modeNo === MODE_CONTINUOUS) {
      const owner = this.oOwner[o]!;
      remaining = this.match(events, c.orderId, owner, s, price, qty, this.oStp[o]!, ts);
      if (remaining === 0) {
        this.freeOrder(o);
        return result('OK', events, seq);
      }
      if (this.takerStopped) {
        events.push({ type: 'cancelled', orderId: c.orderId, ownerId: owner, remainingLots: remaining, reason: 'stp', timestamp: ts });
        this.freeOrder(o);
        return result('OK', events, seq);
      }
    }
    this.oPrice[o] = price;
    this.oQty[o] = remaining;
    this.oTs[o] = ts;
    this.oQueued[o] = seq;
    this.link(o);
    events.push({ type: 'rested', orderId: c.orderId, priceTicks: price, remainingLots: remaining, timestamp: ts });
    return result('OK', events, seq);
  }

  private setMode(c: SetMode): ApplyResult {
    const m = modeCode(c.mode);
    if (m === NONE || !Number.isFinite(c.timestamp)) return result('INVALID_ORDER', [], this.seq);
    if (m === this.modeNo) return result('OK', [], this.seq);
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
    if (this.modeNo !== MODE_AUCTION) return result('NOT_IN_AUCTION', [], this.seq);
    const events: BookEvent[] = [];
    this.uncrossAll(events, c.timestamp);
    return result('OK', events, events.length > 0 ? ++this.seq : this.seq);
  }

  private expireDay(c: ExpireDay): ApplyResult {
    const events: BookEvent[] = [];
    const expiring: number[] = [];
    this.forEachResting((o) => {
      if (this.oTif[o] === TIF_DAY) expiring.push(o);
    });
    for (const o of expiring) {
      events.push({
        type: 'cancelled',
        orderId: this.oId[o]!,
        ownerId: this.oOwner[o]!,
        remainingLots: this.oQty[o]!,
        reason: 'expired',
        timestamp: c.timestamp,
      });
      this.unlink(o);
      this.freeOrder(o);
    }
    return result('OK', events, events.length > 0 ? ++this.seq : this.seq);
  }

  private setReferencePrice(c: SetReferencePrice): ApplyResult {
    const ref = c.referencePriceTicks;
    if (!isValidBand(ref, this.cfg.priceBandBps)) return result('INVALID_PRICE', [], this.seq);
    if (ref === this.cfg.referencePriceTicks) return result('OK', [], this.seq);
    this.cfg = Object.freeze({ ...this.cfg, referencePriceTicks: ref });
    const band = priceBand(ref, this.cfg.priceBandBps);
    this.bandLow = band.lowTicks;
    this.bandHigh = band.highTicks;
    return result('OK', [{ type: 'referenceChanged', referencePriceTicks: ref, timestamp: c.timestamp }], ++this.seq);
  }

  // ---------------------------------------------------------------------------------------------
  // Matching

  /** Would a side-s order at this price trade against the opposite best? */
  private crosses(s: number, price: number): boolean {
    if (s === BUY) return this.askN > 0 && this.lPrice[this.askLv[this.askN - 1]!]! <= price;
    return this.bidN > 0 && this.lPrice[this.bidLv[this.bidN - 1]!]! >= price;
  }

  /**
   * Can a FOK order fill completely? Walks the opposite side as match() would: with STP, an own
   * order is skipped (cancel_oldest removes it) or ends the walk (cancel_newest/both stop the taker).
   */
  private fillable(s: number, limit: number, qty: number, owner: number, stp: number): boolean {
    const lv = s === BUY ? this.askLv : this.bidLv;
    let need = qty;
    for (let i = (s === BUY ? this.askN : this.bidN) - 1; i >= 0; i--) {
      const L = lv[i]!;
      const p = this.lPrice[L]!;
      if (s === BUY ? p > limit : p < limit) return false;
      if (stp === STP_NONE) {
        need -= this.lQty[L]!;
        if (need <= 0) return true;
        continue;
      }
      for (let m = this.lHead[L]!; m !== NONE; m = this.oNext[m]!) {
        if (this.oOwner[m] === owner) {
          if (stp === STP_OLDEST) continue;
          return false;
        }
        need -= this.oQty[m]!;
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
    const lPrice = this.lPrice;
    const lQty = this.lQty;
    const lHead = this.lHead;
    const oQty = this.oQty;
    const oOwner = this.oOwner;
    const oId = this.oId;
    const oNext = this.oNext;
    let q = qty;
    let n = buy ? this.askN : this.bidN;
    while (q > 0 && n > 0) {
      const L = lv[n - 1]!;
      const price = lPrice[L]!;
      if (buy ? price > limit : price < limit) break;
      let m = lHead[L]!;
      while (m !== NONE && q > 0) {
        const next = oNext[m]!;
        const makerOwner = oOwner[m]!;
        const makerQty = oQty[m]!;
        if (makerOwner === takerOwner && stp !== STP_NONE) {
          if (stp === STP_NEWEST) {
            this.takerStopped = true;
            break;
          }
          events.push({ type: 'cancelled', orderId: oId[m]!, ownerId: makerOwner, remainingLots: makerQty, reason: 'stp', timestamp: ts });
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
          makerOrderId: oId[m]!,
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
          oQty[m] = makerLeft;
          lQty[L] = lQty[L]! - f;
        }
        m = next;
      }
      if (lHead[L] === NONE) {
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

  /** Removes the head order m of level L (next is its successor) and frees its slot. */
  private popHead(L: number, m: number, next: number, qty: number): void {
    this.lHead[L] = next;
    if (next === NONE) this.lTail[L] = NONE;
    else this.oPrev[next] = NONE;
    this.lCount[L] = this.lCount[L]! - 1;
    this.lQty[L] = this.lQty[L]! - qty;
    this.freeOrder(m);
  }

  /** Uncrosses at the equilibrium price; repeats only if self-trade prevention left it crossed. */
  private uncrossAll(events: BookEvent[], ts: number): void {
    for (;;) {
      const bids = this.auctionLevels(BUY);
      const asks = this.auctionLevels(SELL);
      const u = findUncrossPrice(bids, asks, this.cfg.referencePriceTicks);
      if (u === undefined) return;
      this.executeAuction(events, u.priceTicks, ts);
    }
  }

  private auctionLevels(s: number): AuctionLevel[] {
    const lv = s === BUY ? this.bidLv : this.askLv;
    const out: AuctionLevel[] = [];
    const opposite = s === BUY ? this.bestAsk() : this.bestBid();
    if (opposite === undefined) return out;
    for (let i = (s === BUY ? this.bidN : this.askN) - 1; i >= 0; i--) {
      const L = lv[i]!;
      const p = this.lPrice[L]!;
      out.push({ priceTicks: p, qtyLots: this.lQty[L]! });
    }
    return out;
  }

  /** Pairs bids priced >= p with asks priced <= p in priority order, all at price p. */
  private executeAuction(events: BookEvent[], p: number, ts: number): void {
    for (;;) {
      if (this.bidN === 0 || this.askN === 0) return;
      const bl = this.bidLv[this.bidN - 1]!;
      const al = this.askLv[this.askN - 1]!;
      if (this.lPrice[bl]! < p || this.lPrice[al]! > p) return;
      const b = this.lHead[bl]!;
      const a = this.lHead[al]!;
      // The later-arrived order is the taker.
      const bq = this.oQueued[b]!;
      const aq = this.oQueued[a]!;
      const bidTakes = bq !== aq ? bq > aq : this.oTs[b]! !== this.oTs[a]! ? this.oTs[b]! > this.oTs[a]! : true;
      const t = bidTakes ? b : a;
      const m = bidTakes ? a : b;
      const stp = this.oStp[t]!;
      if (stp !== STP_NONE && this.oOwner[t] === this.oOwner[m]) {
        if (stp === STP_OLDEST || stp === STP_BOTH) this.cancelResting(events, m, 'stp', ts);
        if (stp === STP_NEWEST || stp === STP_BOTH) this.cancelResting(events, t, 'stp', ts);
        continue;
      }
      const tq = this.oQty[t]!;
      const mq = this.oQty[m]!;
      const f = tq < mq ? tq : mq;
      events.push({
        type: 'fill',
        takerOrderId: this.oId[t]!,
        makerOrderId: this.oId[m]!,
        takerOwnerId: this.oOwner[t]!,
        makerOwnerId: this.oOwner[m]!,
        aggressorSide: SIDE_NAMES[this.oSide[t]!]!,
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
    const left = this.oQty[o]! - f;
    if (left === 0) {
      this.unlink(o);
      this.freeOrder(o);
    } else {
      this.oQty[o] = left;
      const L = this.oLevel[o]!;
      this.lQty[L] = this.lQty[L]! - f;
    }
  }

  private cancelResting(events: BookEvent[], o: number, reason: CancelReason, ts: number): void {
    events.push({ type: 'cancelled', orderId: this.oId[o]!, ownerId: this.oOwner[o]!, remainingLots: this.oQty[o]!, reason, timestamp: ts });
    this.unlink(o);
    this.freeOrder(o);
  }

  // ---------------------------------------------------------------------------------------------
  // Levels and slots

  /** Appends order slot o (price, side, qty set) at the tail of its price level. */
  private link(o: number): void {
    const s = this.oSide[o]!;
    const price = this.oPrice[o]!;
    const at = s === BUY ? this.bidAt : this.askAt;
    let L = at.get(price);
    if (L === undefined) {
      L = this.newLevel(s, price);
      at.set(price, L);
    }
    const tail = this.lTail[L]!;
    this.oPrev[o] = tail;
    this.oNext[o] = NONE;
    if (tail === NONE) this.lHead[L] = o;
    else this.oNext[tail] = o;
    this.lTail[L] = o;
    this.lCount[L] = this.lCount[L]! + 1;
    this.lQty[L] = this.lQty[L]! + this.oQty[o]!;
    this.oLevel[o] = L;
  }

  /** Takes order slot o out of its level (dropping the level if it empties); the slot stays. */
  private unlink(o: number): void {
    const L = this.oLevel[o]!;
    const prev = this.oPrev[o]!;
    const next = this.oNext[o]!;
    if (prev === NONE) this.lHead[L] = next;
    else this.oNext[prev] = next;
    if (next === NONE) this.lTail[L] = prev;
    else this.oPrev[next] = prev;
    this.lQty[L] = this.lQty[L]! - this.oQty[o]!;
    const left = this.lCount[L]! - 1;
    this.lCount[L] = left;
    if (left === 0) this.dropLevel(this.oSide[o]!, L);
  }

  private newLevel(s: number, price: number): number {
    let L = this.lFree;
    if (L !== NONE) this.lFree = this.lHead[L]!;
    else {
      if (this.lUsed === this.lCap) this.growLevels(this.lCap * 2);
      L = this.lUsed++;
    }
    this.lPrice[L] = price;
    this.lQty[L] = 0;
    this.lCount[L] = 0;
    this.lHead[L] = NONE;
    this.lTail[L] = NONE;
    // Insert into the sorted side array, shifting from the best end.
    const lPrice = this.lPrice;
    if (s === BUY) {
      if (this.bidN === this.bidLv.length) this.bidLv = grow32(this.bidLv);
      const lv = this.bidLv;
      let i = this.bidN - 1;
      while (i >= 0 && lPrice[lv[i]!]! > price) {
        lv[i + 1] = lv[i]!;
        i--;
      }
      lv[i + 1] = L;
      this.bidN++;
    } else {
      if (this.askN === this.askLv.length) this.askLv = grow32(this.askLv);
      const lv = this.askLv;
      let i = this.askN - 1;
      while (i >= 0 && lPrice[lv[i]!]! < price) {
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
    if (s === BUY) {
      this.bidN--;
      this.bidAt.delete(this.lPrice[L]!);
    } else {
      this.askN--;
      this.askAt.delete(this.lPrice[L]!);
    }
    this.freeLevel(L);
  }

  private freeLevel(L: number): void {
    this.lHead[L] = this.lFree;
    this.lFree = L;
  }

  private allocOrder(): number {
    const o = this.oFree;
    if (o !== NONE) {
      this.oFree = this.oNext[o]!;
      return o;
    }
    if (this.oUsed === this.oCap) this.growOrders(this.oCap * 2);
    return this.oUsed++;
  }

  private freeOrder(o: number): void {
    this.slotOf.delete(this.oId[o]!);
    this.oNext[o] = this.oFree;
    this.oFree = o;
  }

  private growOrders(cap: number): void {
    this.oId = growF64(this.oId, cap);
    this.oOwner = growF64(this.oOwner, cap);
    this.oPrice = growF64(this.oPrice, cap);
    this.oQty = growF64(this.oQty, cap);
    this.oTs = growF64(this.oTs, cap);
    this.oQueued = growF64(this.oQueued, cap);
    this.oSide = growU8(this.oSide, cap);
    this.oTif = growU8(this.oTif, cap);
    this.oStp = growU8(this.oStp, cap);
    this.oPost = growU8(this.oPost, cap);
    this.oNext = growI32(this.oNext, cap);
    this.oPrev = growI32(this.oPrev, cap);
    this.oLevel = growI32(this.oLevel, cap);
    this.oCap = cap;
  }

  private growLevels(cap: number): void {
    this.lPrice = growF64(this.lPrice, cap);
    this.lQty = growF64(this.lQty, cap);
    this.lCount = growI32(this.lCount, cap);
    this.lHead = growI32(this.lHead, cap);
    this.lTail = growI32(this.lTail, cap);
    this.lCap = cap;
  }

  // ---------------------------------------------------------------------------------------------
  // Views

  /** Calls f for every resting order slot: bids best first, then asks best first, each in queue order. */
  private forEachResting(f: (o: number) => void): void {
    for (let i = this.bidN - 1; i >= 0; i--) {
      for (let o = this.lHead[this.bidLv[i]!]!; o !== NONE; o = this.oNext[o]!) f(o);
    }
    for (let i = this.askN - 1; i >= 0; i--) {
      for (let o = this.lHead[this.askLv[i]!]!; o !== NONE; o = this.oNext[o]!) f(o);
    }
  }

  private view(o: number): RestingOrder {
    return {
      orderId: this.oId[o]!,
      ownerId: this.oOwner[o]!,
      side: SIDE_NAMES[this.oSide[o]!]!,
      priceTicks: this.oPrice[o]!,
      remainingLots: this.oQty[o]!,
      tif: TIF_NAMES[this.oTif[o]!]!,
      stp: STP_NAMES[this.oStp[o]!]!,
      timestamp: this.oTs[o]!,
      postOnly: this.oPost[o] === 1,
      queuedSequence: this.oQueued[o]!,
    };
  }

  /** L2: up to `levels` price levels per side, best first. */
  depth(levels: number): Depth {
    const n = Math.max(0, Math.floor(levels));
    const side = (lv: Int32Array, count: number): DepthLevel[] => {
      const out: DepthLevel[] = [];
      for (let i = count - 1; i >= 0 && out.length < n; i--) {
        const L = lv[i]!;
        out.push({ priceTicks: this.lPrice[L]!, qtyLots: this.lQty[L]!, orders: this.lCount[L]! });
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
    const o = this.slotOf.get(orderId);
    return o === undefined ? undefined : this.view(o);
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
        !Number.isFinite(r.timestamp)
      ) {
        throw new RangeError(`snapshot: bad resting order ${JSON.stringify(r)}`);
      }
      if (book.slotOf.has(r.orderId)) throw new RangeError(`snapshot: duplicate order id ${r.orderId}`);
      const o = book.allocOrder();
      book.oId[o] = r.orderId;
      book.oOwner[o] = r.ownerId;
      book.oPrice[o] = r.priceTicks;
      book.oQty[o] = r.remainingLots;
      book.oTs[o] = r.timestamp;
      book.oQueued[o] = r.queuedSequence ?? 0;
      book.oSide[o] = side;
      book.oTif[o] = tif;
      book.oStp[o] = stp;
      book.oPost[o] = r.postOnly === true ? 1 : 0;
      book.slotOf.set(r.orderId, o);
      book.link(o);
    }
    if (book.modeNo === MODE_CONTINUOUS && book.bidN > 0 && book.askN > 0 && book.bestBid()! >= book.bestAsk()!) {
      throw new RangeError('snapshot: crossed book in continuous mode');
    }
    return book;
  }

  /**
   * Checks the internal structure against the orders it holds; returns the first problem found.
   * For tests and debugging; O(orders).
   */
  verify(): string | undefined {
    let seen = 0;
    for (const s of [BUY, SELL]) {
      const lv = s === BUY ? this.bidLv : this.askLv;
      const n = s === BUY ? this.bidN : this.askN;
      const at = s === BUY ? this.bidAt : this.askAt;
      if (at.size !== n) return `side ${s}: ${at.size} mapped levels, ${n} sorted`;
      for (let i = 0; i < n; i++) {
        const L = lv[i]!;
        const p = this.lPrice[L]!;
        if (at.get(p) !== L) return `level ${p} not mapped`;
        if (i > 0) {
          const q = this.lPrice[lv[i - 1]!]!;
          if (s === BUY ? q >= p : q <= p) return `side ${s} not sorted at ${i}`;
        }
        let count = 0;
        let qty = 0;
        let prev = NONE;
        for (let o = this.lHead[L]!; o !== NONE; o = this.oNext[o]!) {
          if (this.oPrev[o] !== prev) return `order ${this.oId[o]}: bad prev link`;
          if (this.oLevel[o] !== L || this.oPrice[o] !== p || this.oSide[o] !== s) return `order ${this.oId[o]}: wrong level`;
          if (!(this.oQty[o]! > 0)) return `order ${this.oId[o]}: qty ${this.oQty[o]}`;
          if (this.slotOf.get(this.oId[o]!) !== o) return `order ${this.oId[o]}: not indexed`;
          count++;
          qty += this.oQty[o]!;
          prev = o;
        }
        if (this.lTail[L] !== prev) return `level ${p}: bad tail`;
        if (count === 0 || count !== this.lCount[L] || qty !== this.lQty[L]) return `level ${p}: count/qty mismatch`;
        seen += count;
      }
    }
    if (seen !== this.slotOf.size) return `${this.slotOf.size} indexed orders, ${seen} linked`;
    if (this.modeNo === MODE_CONTINUOUS && this.bidN > 0 && this.askN > 0 && this.bestBid()! >= this.bestAsk()!) {
      return 'crossed in continuous mode';
    }
    return undefined;
  }
}

function growF64(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}
function growI32(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
function growU8(a: Uint8Array, cap: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}
function grow32(a: Int32Array): Int32Array<ArrayBuffer> {
  return growI32(a, a.length * 2);
}
