// A deliberately naive order book implementing the contract of matching/types.ts: resting orders
// in one array, the best order found by sorting on every step, the auction price found by trying
// every tick. Slow and obviously correct; the property tests hold the fast engine to it.
import type {
  ApplyResult,
  BookCommand,
  BookConfig,
  BookEvent,
  BookSnapshot,
  CancelReason,
  Depth,
  DepthLevel,
  PlaceOrder,
  RejectCode,
  RestingOrder,
  Side,
  StpMode,
  TimeInForce,
  TradingMode,
} from '../../matching/types.ts';

interface Order {
  id: number;
  owner: number;
  side: Side;
  price: number;
  qty: number;
  tif: TimeInForce;
  stp: StpMode;
  postOnly: boolean;
  ts: number;
  queuedSequence: number;
  /** Time priority: order of entering the queue (or of the snapshot list). */
  prio: number;
}

const SIDES = ['buy', 'sell'];
const TIFS = ['GTC', 'DAY', 'IOC', 'FOK'];
const STPS = ['none', 'cancel_newest', 'cancel_oldest', 'cancel_both'];
const MODES = ['continuous', 'auction', 'halted'];
const NO_OWN_ORDER = { restedLots: 0, cancelledLots: 0, cancelReason: null } as const;
const ownOrder = (events: BookEvent[], sequence: number, restedLots: number, cancelledLots: number, cancelReason: CancelReason | null): ApplyResult => ({
  code: 'OK',
  events,
  sequence,
  restedLots,
  cancelledLots,
  cancelReason,
});
const isPositiveInt = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) > 0;

export class ReferenceBook {
  private resting: Order[] = [];
  private seq = 0;
  private prioCounter = 0;
  private cfg: BookConfig & { mode: TradingMode };

  constructor(config: BookConfig) {
    this.cfg = { ...config, mode: config.mode ?? 'continuous' };
  }

  get sequence(): number {
    return this.seq;
  }
  get mode(): TradingMode {
    return this.cfg.mode;
  }

  private band(): [number, number] {
    const half = Math.floor((this.cfg.referencePriceTicks * this.cfg.priceBandBps) / 10000);
    return [Math.max(1, this.cfg.referencePriceTicks - half), this.cfg.referencePriceTicks + half];
  }

  /** One side's resting orders in priority order. */
  private side(side: Side): Order[] {
    return this.resting
      .filter((o) => o.side === side)
      .sort((a, b) => (a.price !== b.price ? (side === 'buy' ? b.price - a.price : a.price - b.price) : a.prio - b.prio));
  }

  private best(side: Side): number | undefined {
    return this.side(side)[0]?.price;
  }

  private crosses(side: Side, price: number): boolean {
    const opp = this.best(side === 'buy' ? 'sell' : 'buy');
    return opp !== undefined && (side === 'buy' ? opp <= price : opp >= price);
  }

  private remove(o: Order): void {
    this.resting = this.resting.filter((x) => x !== o);
  }

  apply(cmd: BookCommand): ApplyResult {
    const rejectOrder = (orderId: number, code: RejectCode, timestamp: number): ApplyResult => ({
      code,
      events: [{ type: 'rejected', orderId, code, timestamp }],
      sequence: this.seq,
      ...NO_OWN_ORDER,
    });
    const refuse = (code: RejectCode): ApplyResult => ({ code, events: [], sequence: this.seq, ...NO_OWN_ORDER });
    const ok = (events: BookEvent[]): ApplyResult => ({ code: 'OK', events, sequence: events.length > 0 ? ++this.seq : this.seq, ...NO_OWN_ORDER });
    switch (cmd.type) {
      case 'place':
        return this.place(cmd, rejectOrder);
      case 'cancel': {
        const o = this.resting.find((x) => x.id === cmd.orderId);
        if (!o) return rejectOrder(cmd.orderId, 'UNKNOWN_ORDER', cmd.timestamp);
        this.remove(o);
        return ownOrder([], ++this.seq, 0, o.qty, 'user');
      }
      case 'amend': {
        const ts = cmd.timestamp;
        if (!Number.isFinite(ts)) return rejectOrder(cmd.orderId, 'INVALID_ORDER', ts);
        if (this.cfg.mode === 'halted') return rejectOrder(cmd.orderId, 'INSTRUMENT_HALTED', ts);
        const o = this.resting.find((x) => x.id === cmd.orderId);
        if (!o) return rejectOrder(cmd.orderId, 'UNKNOWN_ORDER', ts);
        const price = cmd.priceTicks ?? o.price;
        const qty = cmd.qtyLots ?? o.qty;
        const [low, high] = this.band();
        if (qty !== o.qty && !isPositiveInt(qty)) return rejectOrder(o.id, 'INVALID_QUANTITY', ts);
        if (qty !== o.qty && qty < this.cfg.minQtyLots) return rejectOrder(o.id, 'BELOW_MIN_QUANTITY', ts);
        if (price !== o.price && !isPositiveInt(price)) return rejectOrder(o.id, 'INVALID_PRICE', ts);
        if (price !== o.price && (price < low || price > high)) return rejectOrder(o.id, 'PRICE_OUT_OF_BAND', ts);
        if (price === o.price && qty === o.qty) return rejectOrder(o.id, 'AMEND_NO_CHANGE', ts);
        if (price !== o.price && o.postOnly && this.cfg.mode === 'continuous' && this.crosses(o.side, price)) {
          return rejectOrder(o.id, 'POST_ONLY_WOULD_TRADE', ts);
        }
        const seq = ++this.seq;
        const priorityLost = price !== o.price || qty > o.qty;
        const events: BookEvent[] = [{ type: 'amended', orderId: o.id, priceTicks: price, remainingLots: qty, priorityLost, timestamp: ts }];
        if (!priorityLost) {
          o.qty = qty;
          return ownOrder(events, seq, qty, 0, null);
        }
        this.remove(o);
        let left = qty;
        if (this.cfg.mode === 'continuous') {
          const r = this.match(events, o.id, o.owner, o.side, price, qty, o.stp, ts);
          left = r.left;
          if (left === 0) return ownOrder(events, seq, 0, 0, null);
          if (r.stopped) return ownOrder(events, seq, 0, left, 'stp');
        }
        Object.assign(o, { price, qty: left, ts, queuedSequence: seq, prio: this.prioCounter++ });
        this.resting.push(o);
        return ownOrder(events, seq, left, 0, null);
      }
      case 'setMode': {
        if (!MODES.includes(cmd.mode) || !Number.isFinite(cmd.timestamp)) return refuse('INVALID_ORDER');
        if (cmd.mode === this.cfg.mode) return ok([]);
        const events: BookEvent[] = [];
        if (cmd.mode === 'continuous') this.uncrossAll(events, cmd.timestamp);
        this.cfg.mode = cmd.mode;
        events.push({ type: 'modeChanged', mode: cmd.mode, timestamp: cmd.timestamp });
        return ok(events);
      }
      case 'uncross': {
        if (this.cfg.mode !== 'auction') return refuse('NOT_IN_AUCTION');
        const events: BookEvent[] = [];
        this.uncrossAll(events, cmd.timestamp);
        return ok(events);
      }
      case 'expireDay': {
        const events: BookEvent[] = [];
        for (const o of [...this.side('buy'), ...this.side('sell')]) {
          if (o.tif !== 'DAY') continue;
          this.remove(o);
          events.push({ type: 'cancelled', orderId: o.id, ownerId: o.owner, remainingLots: o.qty, reason: 'expired', timestamp: cmd.timestamp });
        }
        return ok(events);
      }
      case 'setReferencePrice': {
        const ref = cmd.referencePriceTicks;
        if (!isPositiveInt(ref) || !Number.isSafeInteger(ref * this.cfg.priceBandBps)) return refuse('INVALID_PRICE');
        if (ref === this.cfg.referencePriceTicks) return ok([]);
        this.cfg.referencePriceTicks = ref;
        return ok([{ type: 'referenceChanged', referencePriceTicks: ref, timestamp: cmd.timestamp }]);
      }
      default:
        return refuse('INVALID_ORDER');
    }
  }

  private place(c: PlaceOrder, reject: (id: number, code: RejectCode, ts: number) => ApplyResult): ApplyResult {
    const ts = c.timestamp;
    const stp = c.stp ?? 'none';
    const postOnly = c.postOnly === true;
    const market = c.kind === 'market';
    if (
      !SIDES.includes(c.side) ||
      !TIFS.includes(c.tif) ||
      !STPS.includes(stp) ||
      (c.kind !== 'limit' && c.kind !== 'market') ||
      !Number.isSafeInteger(c.orderId) ||
      !Number.isSafeInteger(c.ownerId) ||
      !Number.isFinite(ts) ||
      (postOnly && (market || c.tif === 'IOC' || c.tif === 'FOK'))
    ) {
      return reject(c.orderId, 'INVALID_ORDER', ts);
    }
    if (this.cfg.mode === 'halted') return reject(c.orderId, 'INSTRUMENT_HALTED', ts);
    if (this.resting.some((o) => o.id === c.orderId)) return reject(c.orderId, 'DUPLICATE_ORDER_ID', ts);
    if (!isPositiveInt(c.qtyLots)) return reject(c.orderId, 'INVALID_QUANTITY', ts);
    if (c.qtyLots < this.cfg.minQtyLots) return reject(c.orderId, 'BELOW_MIN_QUANTITY', ts);
    const [low, high] = this.band();
    let limit = c.priceTicks;
    if (market) {
      if (this.cfg.mode === 'auction') return reject(c.orderId, 'MARKET_ORDER_IN_AUCTION', ts);
      limit = c.side === 'buy' ? high : low;
      if (!this.crosses(c.side, limit)) return reject(c.orderId, 'NO_LIQUIDITY', ts);
    } else {
      if (!isPositiveInt(limit)) return reject(c.orderId, 'INVALID_PRICE', ts);
      if (limit < low || limit > high) return reject(c.orderId, 'PRICE_OUT_OF_BAND', ts);
      if (this.cfg.mode === 'auction' && (c.tif === 'IOC' || c.tif === 'FOK')) return reject(c.orderId, 'TIF_NOT_ALLOWED_IN_AUCTION', ts);
      if (postOnly && this.cfg.mode === 'continuous' && this.crosses(c.side, limit)) return reject(c.orderId, 'POST_ONLY_WOULD_TRADE', ts);
    }
    const seq = ++this.seq;
    const events: BookEvent[] = [];
    const cancelRest = (left: number, reason: CancelReason): ApplyResult => ownOrder(events, seq, 0, left, reason);
    let left = c.qtyLots;
    if (this.cfg.mode === 'continuous') {
      if (c.tif === 'FOK' && !this.fillable(c.side, limit, c.qtyLots, c.ownerId, stp)) return cancelRest(left, 'fok_unfilled');
      const r = this.match(events, c.orderId, c.ownerId, c.side, limit, c.qtyLots, stp, ts);
      left = r.left;
      if (left === 0) return ownOrder(events, seq, 0, 0, null);
      if (r.stopped) return cancelRest(left, 'stp');
      if (market) return cancelRest(left, 'market_remainder');
      if (c.tif === 'IOC') return cancelRest(left, 'ioc_remainder');
      if (c.tif === 'FOK') return cancelRest(left, 'fok_unfilled');
    }
    this.resting.push({
      id: c.orderId,
      owner: c.ownerId,
      side: c.side,
      price: limit,
      qty: left,
      tif: c.tif,
      stp,
      postOnly,
      ts,
      queuedSequence: seq,
      prio: this.prioCounter++,
    });
    return ownOrder(events, seq, left, 0, null);
  }

  private selfTrade(owner: number, stp: StpMode, maker: Order): boolean {
    return stp !== 'none' && maker.owner === owner;
  }

  private fillable(side: Side, limit: number, qty: number, owner: number, stp: StpMode): boolean {
    let got = 0;
    for (const m of this.side(side === 'buy' ? 'sell' : 'buy')) {
      if (side === 'buy' ? m.price > limit : m.price < limit) break;
      if (this.selfTrade(owner, stp, m)) {
        if (stp === 'cancel_oldest') continue;
        break;
      }
      got += m.qty;
      if (got >= qty) return true;
    }
    return false;
  }

  private match(events: BookEvent[], id: number, owner: number, side: Side, limit: number, qty: number, stp: StpMode, ts: number) {
    let left = qty;
    while (left > 0) {
      const m = this.side(side === 'buy' ? 'sell' : 'buy')[0];
      if (!m || (side === 'buy' ? m.price > limit : m.price < limit)) break;
      if (this.selfTrade(owner, stp, m)) {
        if (stp === 'cancel_newest') return { left, stopped: true };
        this.remove(m);
        events.push({ type: 'cancelled', orderId: m.id, ownerId: m.owner, remainingLots: m.qty, reason: 'stp', timestamp: ts });
        if (stp === 'cancel_both') return { left, stopped: true };
        continue;
      }
      const f = Math.min(left, m.qty);
      left -= f;
      m.qty -= f;
      if (m.qty === 0) this.remove(m);
      events.push({
        type: 'fill',
        takerOrderId: id,
        makerOrderId: m.id,
        takerOwnerId: owner,
        makerOwnerId: m.owner,
        aggressorSide: side,
        priceTicks: m.price,
        qtyLots: f,
        takerRemainingLots: left,
        makerRemainingLots: m.qty,
        timestamp: ts,
      });
    }
    return { left, stopped: false };
  }

  /** Tries every tick in the crossed range; the rule of issue 3 plus "then the lower price". */
  uncrossPrice(): number | undefined {
    const bid = this.best('buy');
    const ask = this.best('sell');
    if (bid === undefined || ask === undefined || bid < ask) return undefined;
    let best: { p: number; vol: number; imb: number; dist: number } | undefined;
    for (let p = ask; p <= bid; p++) {
      const demand = this.resting.filter((o) => o.side === 'buy' && o.price >= p).reduce((a, o) => a + o.qty, 0);
      const supply = this.resting.filter((o) => o.side === 'sell' && o.price <= p).reduce((a, o) => a + o.qty, 0);
      const c = { p, vol: Math.min(demand, supply), imb: Math.abs(demand - supply), dist: Math.abs(p - this.cfg.referencePriceTicks) };
      if (!best || c.vol > best.vol || (c.vol === best.vol && (c.imb < best.imb || (c.imb === best.imb && c.dist < best.dist)))) best = c;
    }
    return best?.p;
  }

  private uncrossAll(events: BookEvent[], ts: number): void {
    for (let p = this.uncrossPrice(); p !== undefined; p = this.uncrossPrice()) {
      for (;;) {
        const b = this.side('buy')[0];
        const a = this.side('sell')[0];
        if (!b || !a || b.price < p || a.price > p) break;
        const bidTakes = b.queuedSequence !== a.queuedSequence ? b.queuedSequence > a.queuedSequence : b.ts !== a.ts ? b.ts > a.ts : true;
        const [t, m] = bidTakes ? [b, a] : [a, b];
        if (this.selfTrade(t.owner, t.stp, m)) {
          for (const o of t.stp === 'cancel_newest' ? [t] : t.stp === 'cancel_oldest' ? [m] : [m, t]) {
            this.remove(o);
            events.push({ type: 'cancelled', orderId: o.id, ownerId: o.owner, remainingLots: o.qty, reason: 'stp', timestamp: ts });
          }
          continue;
        }
        const f = Math.min(t.qty, m.qty);
        t.qty -= f;
        m.qty -= f;
        events.push({
          type: 'fill',
          takerOrderId: t.id,
          makerOrderId: m.id,
          takerOwnerId: t.owner,
          makerOwnerId: m.owner,
          aggressorSide: t.side,
          priceTicks: p,
          qtyLots: f,
          takerRemainingLots: t.qty,
          makerRemainingLots: m.qty,
          timestamp: ts,
        });
        if (t.qty === 0) this.remove(t);
        if (m.qty === 0) this.remove(m);
      }
    }
  }

  orders(): RestingOrder[] {
    return [...this.side('buy'), ...this.side('sell')].map((o) => ({
      orderId: o.id,
      ownerId: o.owner,
      side: o.side,
      priceTicks: o.price,
      remainingLots: o.qty,
      tif: o.tif,
      stp: o.stp,
      timestamp: o.ts,
      postOnly: o.postOnly,
      queuedSequence: o.queuedSequence,
    }));
  }

  depth(levels: number): Depth {
    const agg = (side: Side): DepthLevel[] => {
      const out: DepthLevel[] = [];
      for (const o of this.side(side)) {
        const last = out[out.length - 1];
        if (last && last.priceTicks === o.price) {
          last.qtyLots += o.qty;
          last.orders++;
        } else out.push({ priceTicks: o.price, qtyLots: o.qty, orders: 1 });
      }
      return out.slice(0, levels);
    };
    return { sequence: this.seq, bids: agg('buy'), asks: agg('sell') };
  }

  snapshot(): BookSnapshot {
    return { config: { ...this.cfg }, mode: this.cfg.mode, sequence: this.seq, orders: this.orders() };
  }
}
