// Unit tests of the order book, one market rule at a time: every reject code, order type, STP
// mode, amend rule and auction rule, the halted mode, views and sequence, snapshot and restore.
import { beforeEach, describe, expect, it } from 'vitest';
import { OrderBook } from '../../matching/index.ts';
import type { ApplyResult, BookCommand, BookConfig, BookEvent, BookSnapshot, PlaceOrder, RejectCode, Side } from '../../matching/index.ts';

// Band 900..1100 ticks, minimum 10 lots.
const CFG: BookConfig = { symbol: 'CEA', referencePriceTicks: 1000, priceBandBps: 1000, minQtyLots: 10 };

let ts = 0;
beforeEach(() => {
  ts = 1_700_000_000_000;
});

function limit(orderId: number, side: Side, priceTicks: number, qtyLots: number, extra: Partial<PlaceOrder> = {}): PlaceOrder {
  return { type: 'place', orderId, ownerId: orderId, side, kind: 'limit', priceTicks, qtyLots, tif: 'GTC', timestamp: ++ts, ...extra };
}
function market(orderId: number, side: Side, qtyLots: number, extra: Partial<PlaceOrder> = {}): PlaceOrder {
  return limit(orderId, side, 0, qtyLots, { kind: 'market', tif: 'IOC', ...extra });
}
const cancel = (orderId: number): BookCommand => ({ type: 'cancel', orderId, timestamp: ++ts });
const amend = (orderId: number, change: { priceTicks?: number; qtyLots?: number }): BookCommand => ({ type: 'amend', orderId, ...change, timestamp: ++ts });
const setMode = (mode: 'continuous' | 'auction' | 'halted'): BookCommand => ({ type: 'setMode', mode, timestamp: ++ts });
const uncross = (): BookCommand => ({ type: 'uncross', timestamp: ++ts });

function book(cmds: BookCommand[] = [], cfg: BookConfig = CFG): OrderBook {
  const b = new OrderBook(cfg);
  for (const c of cmds) {
    const r = b.apply(c);
    if (r.code !== 'OK') throw new Error(`setup command ${JSON.stringify(c)} failed: ${r.code}`);
  }
  return b;
}

/**
 * The result as lines: its events ("fill 2<-1 5@1000", "cancelled 3 7 stp"), then what became of
 * the command's own order if it rests or was cancelled ("rests 5", "own cancelled 7 ioc_remainder").
 */
function trace(r: ApplyResult): string[] {
  const lines = r.events.map((e: BookEvent) => {
    switch (e.type) {
      case 'fill':
        return `fill ${e.takerOrderId}<-${e.makerOrderId} ${e.qtyLots}@${e.priceTicks}`;
      case 'cancelled':
        return `cancelled ${e.orderId} ${e.remainingLots} ${e.reason}`;
      case 'amended':
        return `amended ${e.orderId} ${e.remainingLots}@${e.priceTicks}${e.priorityLost ? ' lost' : ' kept'}`;
      case 'rejected':
        return `rejected ${e.orderId} ${e.code}`;
      case 'modeChanged':
        return `mode ${e.mode}`;
      case 'referenceChanged':
        return `reference ${e.referencePriceTicks}`;
    }
  });
  if (r.restedLots > 0) lines.push(`rests ${r.restedLots}`);
  if (r.cancelledLots > 0) lines.push(`own cancelled ${r.cancelledLots} ${r.cancelReason}`);
  return lines;
}

/** Ids of one side's orders in priority order. */
const queue = (b: OrderBook, side: Side) => b.orders().filter((o) => o.side === side).map((o) => o.orderId);

function expectRejected(b: OrderBook, cmd: BookCommand, code: RejectCode): void {
  const before = b.snapshot();
  const r = b.apply(cmd);
  expect(r.code).toBe(code);
  if (cmd.type === 'place' || cmd.type === 'cancel' || cmd.type === 'amend') {
    expect(r.events).toEqual([{ type: 'rejected', orderId: cmd.orderId, code, timestamp: cmd.timestamp }]);
  } else {
    expect(r.events).toEqual([]);
  }
  expect(r.sequence).toBe(before.sequence);
  expect(b.snapshot()).toEqual(before);
}

describe('validation: a distinct reject code for each rule, and a rejected command changes nothing', () => {
  it('INVALID_QUANTITY: the lot size — quantity must be a positive whole number of lots', () => {
    const b = book();
    for (const q of [0, -10, 12.5, Number.NaN, 2 ** 53]) expectRejected(b, limit(1, 'buy', 1000, q), 'INVALID_QUANTITY');
  });

  it('BELOW_MIN_QUANTITY: the minimum order quantity', () => {
    expectRejected(book(), limit(1, 'buy', 1000, 9), 'BELOW_MIN_QUANTITY');
    expect(book().apply(limit(1, 'buy', 1000, 10)).code).toBe('OK');
  });

  it('INVALID_PRICE: the tick size — price must be a positive whole number of ticks', () => {
    const b = book();
    for (const p of [0, -1, 1000.5, Number.NaN, Number.POSITIVE_INFINITY]) expectRejected(b, limit(1, 'buy', p, 10), 'INVALID_PRICE');
  });

  it('PRICE_OUT_OF_BAND: reference ± band, edges included', () => {
    const b = book();
    expectRejected(b, limit(1, 'buy', 899, 10), 'PRICE_OUT_OF_BAND');
    expectRejected(b, limit(1, 'sell', 1101, 10), 'PRICE_OUT_OF_BAND');
    expect(b.apply(limit(2, 'buy', 900, 10)).code).toBe('OK');
    expect(b.apply(limit(3, 'sell', 1100, 10)).code).toBe('OK');
  });

  it('PRICE_OUT_OF_BAND follows the reference price', () => {
    const b = book([{ type: 'setReferencePrice', referencePriceTicks: 2000, timestamp: 1 }]);
    expectRejected(b, limit(1, 'buy', 1000, 10), 'PRICE_OUT_OF_BAND');
    expect(b.apply(limit(2, 'buy', 1900, 10)).code).toBe('OK');
  });

  it('DUPLICATE_ORDER_ID: among live orders; an id that left the book may come back', () => {
    const b = book([limit(1, 'buy', 1000, 10)]);
    expectRejected(b, limit(1, 'sell', 1050, 10), 'DUPLICATE_ORDER_ID');
    b.apply(cancel(1));
    expect(b.apply(limit(1, 'sell', 1050, 10)).code).toBe('OK');
  });

  it('UNKNOWN_ORDER: cancel or amend of an order that is not resting', () => {
    const b = book([limit(1, 'buy', 1000, 10)]);
    expectRejected(b, cancel(2), 'UNKNOWN_ORDER');
    expectRejected(b, amend(2, { qtyLots: 20 }), 'UNKNOWN_ORDER');
    b.apply(cancel(1));
    expectRejected(b, cancel(1), 'UNKNOWN_ORDER');
  });

  it('INSTRUMENT_HALTED: place and amend refused, cancel accepted', () => {
    const b = book([limit(1, 'buy', 1000, 10), setMode('halted')]);
    expectRejected(b, limit(2, 'buy', 1000, 10), 'INSTRUMENT_HALTED');
    expectRejected(b, amend(1, { qtyLots: 20 }), 'INSTRUMENT_HALTED');
    expect(trace(b.apply(cancel(1)))).toEqual(['own cancelled 10 user']);
  });

  it('POST_ONLY_WOULD_TRADE: a post-only order that would take liquidity', () => {
    const b = book([limit(1, 'sell', 1010, 10)]);
    expectRejected(b, limit(2, 'buy', 1010, 10, { postOnly: true }), 'POST_ONLY_WOULD_TRADE');
    expect(trace(b.apply(limit(3, 'buy', 1009, 10, { postOnly: true })))).toEqual(['rests 10']);
    expectRejected(b, amend(3, { priceTicks: 1010 }), 'POST_ONLY_WOULD_TRADE');
  });

  it('FOK_NOT_FILLABLE is never returned: an unfillable FOK is accepted and killed, with no fills', () => {
    const b = book([limit(1, 'sell', 1000, 10), limit(2, 'sell', 1010, 10)]);
    const before = b.orders();
    const r = b.apply(limit(3, 'buy', 1010, 21, { tif: 'FOK' }));
    expect(r.code).toBe('OK');
    expect(trace(r)).toEqual(['own cancelled 21 fok_unfilled']);
    expect(b.orders()).toEqual(before);
  });

  it('NO_LIQUIDITY: a market order with nothing to trade against inside the band', () => {
    expectRejected(book(), market(1, 'buy', 10), 'NO_LIQUIDITY');
    // An ask left above the band after the reference moved down is out of reach.
    const b = book([
      { type: 'setReferencePrice', referencePriceTicks: 1100, timestamp: 1 },
      limit(1, 'sell', 1150, 10),
      { type: 'setReferencePrice', referencePriceTicks: 1000, timestamp: 2 },
    ]);
    expectRejected(b, market(2, 'buy', 10), 'NO_LIQUIDITY');
  });

  it('MARKET_ORDER_IN_AUCTION', () => {
    expectRejected(book([setMode('auction'), limit(1, 'sell', 1000, 10)]), market(2, 'buy', 10), 'MARKET_ORDER_IN_AUCTION');
  });

  it('TIF_NOT_ALLOWED_IN_AUCTION: IOC and FOK need a continuous market', () => {
    const b = book([setMode('auction')]);
    expectRejected(b, limit(1, 'buy', 1000, 10, { tif: 'IOC' }), 'TIF_NOT_ALLOWED_IN_AUCTION');
    expectRejected(b, limit(1, 'buy', 1000, 10, { tif: 'FOK' }), 'TIF_NOT_ALLOWED_IN_AUCTION');
  });

  it('AMEND_NO_CHANGE: same price and quantity, or nothing given', () => {
    const b = book([limit(1, 'buy', 1000, 10)]);
    expectRejected(b, amend(1, {}), 'AMEND_NO_CHANGE');
    expectRejected(b, amend(1, { priceTicks: 1000, qtyLots: 10 }), 'AMEND_NO_CHANGE');
  });

  it('NOT_IN_AUCTION: uncross outside a call auction', () => {
    expectRejected(book(), uncross(), 'NOT_IN_AUCTION');
    expectRejected(book([setMode('halted')]), uncross(), 'NOT_IN_AUCTION');
  });

  it('INVALID_ORDER: malformed commands (server bugs, not user errors)', () => {
    const b = book();
    const bad: Partial<PlaceOrder>[] = [
      { side: 'up' as Side },
      { tif: 'GTD' as PlaceOrder['tif'] },
      { stp: 'cancel_all' as PlaceOrder['stp'] },
      { kind: 'stop' as PlaceOrder['kind'] },
      { orderId: 1.5 },
      { ownerId: Number.NaN },
      { timestamp: Number.NaN },
      { postOnly: true, tif: 'IOC' },
      { postOnly: true, tif: 'FOK' },
    ];
    for (const x of bad) expectRejected(b, limit(1, 'buy', 1000, 10, x), 'INVALID_ORDER');
    expectRejected(b, market(1, 'buy', 10, { postOnly: true }), 'INVALID_ORDER');
    expectRejected(b, { type: 'setMode', mode: 'closed' as 'halted', timestamp: 1 }, 'INVALID_ORDER');
    expectRejected(b, { type: 'explode', timestamp: 1 } as unknown as BookCommand, 'INVALID_ORDER');
  });

  it('INVALID_PRICE for a reference price that is not a positive whole number of ticks', () => {
    const b = book();
    expectRejected(b, { type: 'setReferencePrice', referencePriceTicks: 0, timestamp: 1 }, 'INVALID_PRICE');
    expectRejected(b, { type: 'setReferencePrice', referencePriceTicks: 99.5, timestamp: 1 }, 'INVALID_PRICE');
  });

  it('checks in the documented order', () => {
    const b = book([limit(1, 'buy', 1000, 10), setMode('halted')]);
    expect(b.apply(limit(1, 'buy', 0, 0)).code).toBe('INSTRUMENT_HALTED');
    const c = book([limit(1, 'buy', 1000, 10)]);
    expect(c.apply(limit(1, 'buy', 0, 0)).code).toBe('DUPLICATE_ORDER_ID');
    expect(c.apply(limit(2, 'buy', 0, 0)).code).toBe('INVALID_QUANTITY');
    expect(c.apply(limit(2, 'buy', 0, 5)).code).toBe('BELOW_MIN_QUANTITY');
    expect(c.apply(limit(2, 'buy', 5000, 10)).code).toBe('PRICE_OUT_OF_BAND');
  });
});

describe('order types and time in force', () => {
  it('a crossing GTC limit trades at the makers’ prices, best price first then time, and rests the rest', () => {
    const b = book([limit(1, 'sell', 1010, 10), limit(2, 'sell', 1000, 10), limit(3, 'sell', 1000, 10), limit(4, 'sell', 1020, 10)]);
    const r = b.apply(limit(5, 'buy', 1010, 35));
    expect(trace(r)).toEqual(['fill 5<-2 10@1000', 'fill 5<-3 10@1000', 'fill 5<-1 10@1010', 'rests 5']);
    expect(r.events[0]).toMatchObject({ aggressorSide: 'buy', takerRemainingLots: 25, makerRemainingLots: 0, takerOwnerId: 5, makerOwnerId: 2 });
    expect(b.bestBid()).toBe(1010);
    expect(b.bestAsk()).toBe(1020);
  });

  it('a partially filled maker keeps its place and reports what is left', () => {
    const b = book([limit(1, 'sell', 1000, 30), limit(2, 'sell', 1000, 10)]);
    expect(b.apply(limit(3, 'buy', 1000, 12)).events[0]).toMatchObject({ makerOrderId: 1, qtyLots: 12, makerRemainingLots: 18 });
    expect(queue(b, 'sell')).toEqual([1, 2]);
    expect(b.getOrder(1)?.remainingLots).toBe(18);
  });

  it('market orders walk the book only up to the band edge; the rest is cancelled', () => {
    const b = book([
      { type: 'setReferencePrice', referencePriceTicks: 1100, timestamp: 1 },
      limit(1, 'sell', 1150, 10),
      { type: 'setReferencePrice', referencePriceTicks: 1000, timestamp: 2 },
      limit(2, 'sell', 1050, 10),
      limit(3, 'sell', 1100, 10),
    ]);
    const r = b.apply(market(4, 'buy', 50));
    expect(trace(r)).toEqual(['fill 4<-2 10@1050', 'fill 4<-3 10@1100', 'own cancelled 30 market_remainder']);
    expect(queue(b, 'sell')).toEqual([1]);
  });

  it('a market sell stops at the lower band edge; a market order never rests whatever its TIF', () => {
    const b = book([limit(1, 'buy', 950, 10), limit(2, 'buy', 900, 10)]);
    const r = b.apply(market(3, 'sell', 30, { tif: 'GTC' }));
    expect(trace(r)).toEqual(['fill 3<-1 10@950', 'fill 3<-2 10@900', 'own cancelled 10 market_remainder']);
    expect(b.orders()).toEqual([]);
  });

  it('a market FOK fills completely or not at all', () => {
    const b = book([limit(1, 'sell', 1000, 10), limit(2, 'sell', 1100, 10)]);
    expect(trace(b.apply(market(3, 'buy', 25, { tif: 'FOK' })))).toEqual(['own cancelled 25 fok_unfilled']);
    expect(trace(b.apply(market(4, 'buy', 20, { tif: 'FOK' })))).toEqual(['fill 4<-1 10@1000', 'fill 4<-2 10@1100']);
  });

  it('IOC: trades what it can, cancels the rest; with nothing to trade it is accepted then cancelled', () => {
    const b = book([limit(1, 'sell', 1000, 10)]);
    expect(trace(b.apply(limit(2, 'buy', 1000, 25, { tif: 'IOC' })))).toEqual(['fill 2<-1 10@1000', 'own cancelled 15 ioc_remainder']);
    expect(trace(b.apply(limit(3, 'buy', 1000, 25, { tif: 'IOC' })))).toEqual(['own cancelled 25 ioc_remainder']);
    expect(b.orders()).toEqual([]);
  });

  it('FOK: fills across levels when the whole quantity is there', () => {
    const b = book([limit(1, 'sell', 1000, 10), limit(2, 'sell', 1010, 10)]);
    expect(trace(b.apply(limit(3, 'buy', 1010, 20, { tif: 'FOK' })))).toEqual(['fill 3<-1 10@1000', 'fill 3<-2 10@1010']);
  });

  it('DAY orders rest like GTC and expire at session end with reason expired; GTC stays', () => {
    const b = book([limit(1, 'buy', 1000, 10, { tif: 'DAY' }), limit(2, 'buy', 990, 10), limit(3, 'sell', 1010, 10, { tif: 'DAY' })]);
    const r = b.apply({ type: 'expireDay', timestamp: ++ts });
    expect(trace(r)).toEqual(['cancelled 1 10 expired', 'cancelled 3 10 expired']);
    expect(queue(b, 'buy')).toEqual([2]);
    const seq = b.sequence;
    expect(b.apply({ type: 'expireDay', timestamp: ++ts })).toEqual({ code: 'OK', events: [], sequence: seq, restedLots: 0, cancelledLots: 0, cancelReason: null });
  });

  it('post-only orders rest as makers', () => {
    const b = book([limit(1, 'buy', 1000, 10, { postOnly: true })]);
    expect(b.getOrder(1)).toMatchObject({ postOnly: true, priceTicks: 1000 });
    expect(trace(b.apply(limit(2, 'sell', 1000, 10)))).toEqual(['fill 2<-1 10@1000']);
  });

  it('cancel removes the remaining quantity and reports it', () => {
    const b = book([limit(1, 'sell', 1000, 30), limit(2, 'buy', 1000, 12)]);
    const r = b.apply(cancel(1));
    expect(r).toMatchObject({ code: 'OK', events: [], restedLots: 0, cancelledLots: 18, cancelReason: 'user' });
    expect(b.orders()).toEqual([]);
  });
});

describe('self-trade prevention (the incoming order’s mode decides)', () => {
  // Owner 7 rests 10 @1000 behind another owner's 10 @1000, and 10 @1010 from owner 8.
  const setup = () =>
    book([
      limit(1, 'sell', 1000, 10, { ownerId: 8 }),
      limit(2, 'sell', 1000, 10, { ownerId: 7 }),
      limit(3, 'sell', 1010, 10, { ownerId: 8 }),
    ]);

  it('none: trades with itself', () => {
    const b = setup();
    expect(trace(b.apply(limit(4, 'buy', 1010, 30, { ownerId: 7, stp: 'none' })))).toEqual([
      'fill 4<-1 10@1000',
      'fill 4<-2 10@1000',
      'fill 4<-3 10@1010',
    ]);
  });

  it('cancel_newest: fills before the own order stand, the incoming remainder is cancelled, the resting order stays', () => {
    const b = setup();
    expect(trace(b.apply(limit(4, 'buy', 1010, 30, { ownerId: 7, stp: 'cancel_newest' })))).toEqual([
      'fill 4<-1 10@1000',
      'own cancelled 20 stp',
    ]);
    expect(queue(b, 'sell')).toEqual([2, 3]);
  });

  it('cancel_oldest: the resting own order is cancelled and matching goes on', () => {
    const b = setup();
    expect(trace(b.apply(limit(4, 'buy', 1010, 30, { ownerId: 7, stp: 'cancel_oldest' })))).toEqual([
      'fill 4<-1 10@1000',
      'cancelled 2 10 stp',
      'fill 4<-3 10@1010',
      'rests 10',
    ]);
  });

  it('cancel_both: both the resting own order and the incoming remainder are cancelled', () => {
    const b = setup();
    expect(trace(b.apply(limit(4, 'buy', 1010, 30, { ownerId: 7, stp: 'cancel_both' })))).toEqual([
      'fill 4<-1 10@1000',
      'cancelled 2 10 stp',
      'own cancelled 20 stp',
    ]);
    expect(queue(b, 'sell')).toEqual([3]);
  });

  it('the resting order’s mode does not matter', () => {
    const b = book([limit(1, 'sell', 1000, 10, { ownerId: 7, stp: 'cancel_both' })]);
    expect(trace(b.apply(limit(2, 'buy', 1000, 10, { ownerId: 7 })))).toEqual(['fill 2<-1 10@1000']);
  });

  it('FOK counts only what it could really trade: cancel_newest stops at the own order, cancel_oldest skips it', () => {
    expect(trace(setup().apply(limit(4, 'buy', 1010, 20, { ownerId: 7, stp: 'cancel_newest', tif: 'FOK' })))).toEqual([
      'own cancelled 20 fok_unfilled',
    ]);
    expect(trace(setup().apply(limit(4, 'buy', 1010, 30, { ownerId: 7, stp: 'cancel_oldest', tif: 'FOK' })))).toEqual([
      'own cancelled 30 fok_unfilled',
    ]);
    expect(trace(setup().apply(limit(4, 'buy', 1010, 20, { ownerId: 7, stp: 'cancel_oldest', tif: 'FOK' })))).toEqual([
      'fill 4<-1 10@1000',
      'cancelled 2 10 stp',
      'fill 4<-3 10@1010',
    ]);
  });
});

describe('amend', () => {
  const setup = () => book([limit(1, 'buy', 1000, 30), limit(2, 'buy', 1000, 10), limit(3, 'buy', 990, 10)]);

  it('reducing quantity keeps time priority', () => {
    const b = setup();
    expect(trace(b.apply(amend(1, { qtyLots: 20 })))).toEqual(['amended 1 20@1000 kept', 'rests 20']);
    expect(queue(b, 'buy')).toEqual([1, 2, 3]);
    expect(b.depth(1).bids).toEqual([{ priceTicks: 1000, qtyLots: 30, orders: 2 }]);
    expect(trace(b.apply(limit(4, 'sell', 1000, 10)))).toEqual(['fill 4<-1 10@1000']);
  });

  it('increasing quantity loses time priority', () => {
    const b = setup();
    expect(trace(b.apply(amend(1, { qtyLots: 40 })))).toEqual(['amended 1 40@1000 lost', 'rests 40']);
    expect(queue(b, 'buy')).toEqual([2, 1, 3]);
  });

  it('changing the price loses time priority, even when it comes back', () => {
    const b = setup();
    b.apply(amend(1, { priceTicks: 995 }));
    b.apply(amend(1, { priceTicks: 1000 }));
    expect(queue(b, 'buy')).toEqual([2, 1, 3]);
    expect(b.getOrder(1)).toMatchObject({ timestamp: ts, queuedSequence: b.sequence });
  });

  it('a price change that crosses trades at once, then rests what is left', () => {
    const b = book([limit(1, 'buy', 1000, 30), limit(2, 'sell', 1010, 10), limit(3, 'sell', 1020, 10)]);
    expect(trace(b.apply(amend(1, { priceTicks: 1010 })))).toEqual(['amended 1 30@1010 lost', 'fill 1<-2 10@1010', 'rests 20']);
    expect(trace(b.apply(amend(1, { priceTicks: 1020, qtyLots: 10 })))).toEqual(['amended 1 10@1020 lost', 'fill 1<-3 10@1020']);
    expect(b.orders()).toEqual([]);
  });

  it('the quantity given is the new remaining quantity, after partial fills', () => {
    const b = book([limit(1, 'sell', 1000, 30), limit(2, 'buy', 1000, 12)]);
    expect(trace(b.apply(amend(1, { qtyLots: 10 })))).toEqual(['amended 1 10@1000 kept', 'rests 10']);
    expect(b.getOrder(1)?.remainingLots).toBe(10);
  });

  it('is validated like a new order', () => {
    const b = setup();
    expectRejected(b, amend(1, { qtyLots: 5 }), 'BELOW_MIN_QUANTITY');
    expectRejected(b, amend(1, { qtyLots: 0 }), 'INVALID_QUANTITY');
    expectRejected(b, amend(1, { priceTicks: 1200 }), 'PRICE_OUT_OF_BAND');
    expectRejected(b, amend(1, { priceTicks: 999.5 }), 'INVALID_PRICE');
  });

  it('in an auction it requeues without trading', () => {
    const b = book([setMode('auction'), limit(1, 'buy', 1000, 10), limit(2, 'sell', 1010, 10)]);
    expect(trace(b.apply(amend(1, { priceTicks: 1020 })))).toEqual(['amended 1 10@1020 lost', 'rests 10']);
    expect(b.bestBid()).toBe(1020);
  });
});

describe('call auction', () => {
  it('collects orders without matching, then uncrosses at the volume-maximising price and stays in auction', () => {
    const b = book([
      setMode('auction'),
      limit(1, 'buy', 1020, 10),
      limit(2, 'buy', 1010, 20),
      limit(3, 'sell', 990, 15),
      limit(4, 'sell', 1010, 20),
    ]);
    expect(b.bestBid()).toBeGreaterThan(b.bestAsk()!);
    // 990: demand 30, supply 15. 1010: demand 30, supply 35 → 30. 1020: demand 10 → 10.
    const r = b.apply(uncross());
    expect(r.events.every((e) => e.type !== 'fill' || e.priceTicks === 1010)).toBe(true);
    expect(trace(r)).toEqual(['fill 3<-1 10@1010', 'fill 3<-2 5@1010', 'fill 4<-2 15@1010']);
    expect(b.mode).toBe('auction');
    expect(b.orders().map((o) => [o.orderId, o.remainingLots])).toEqual([[4, 5]]);
  });

  it('the later-arrived order of each pair is the taker', () => {
    const b = book([setMode('auction'), limit(1, 'sell', 1000, 10), limit(2, 'buy', 1000, 10)]);
    expect(b.apply(uncross()).events[0]).toMatchObject({ takerOrderId: 2, makerOrderId: 1, aggressorSide: 'buy' });
    b.apply(limit(3, 'buy', 1000, 10));
    b.apply(limit(4, 'sell', 1000, 10));
    expect(b.apply(uncross()).events[0]).toMatchObject({ takerOrderId: 4, makerOrderId: 3, aggressorSide: 'sell' });
  });

  it('breaks volume ties by the smallest imbalance, then by the reference price', () => {
    // Volume 20 at 995..1005; imbalance 20 at 995 (demand 40), 10 at 1005 (supply 30), 0 between
    // — where the reference 1000 decides.
    const b = book([setMode('auction'), limit(1, 'buy', 1005, 20), limit(2, 'buy', 995, 20), limit(3, 'sell', 995, 20), limit(4, 'sell', 1005, 10)]);
    expect(b.apply(uncross()).events[0]).toMatchObject({ priceTicks: 1000 });
    const c = book([setMode('auction'), limit(1, 'buy', 1005, 10), limit(2, 'sell', 1002, 10)]);
    expect(c.apply(uncross()).events[0]).toMatchObject({ priceTicks: 1002 });
  });

  it('an uncross with nothing to cross changes nothing', () => {
    const b = book([setMode('auction'), limit(1, 'buy', 990, 10), limit(2, 'sell', 1000, 10)]);
    const seq = b.sequence;
    expect(b.apply(uncross())).toEqual({ code: 'OK', events: [], sequence: seq, restedLots: 0, cancelledLots: 0, cancelReason: null });
  });

  it('switching to continuous uncrosses a crossed auction book first', () => {
    const b = book([setMode('auction'), limit(1, 'buy', 1010, 10), limit(2, 'sell', 1000, 20)]);
    const r = b.apply(setMode('continuous'));
    expect(trace(r)).toEqual(['fill 2<-1 10@1000', 'mode continuous']);
    expect(b.mode).toBe('continuous');
    expect(b.verify()).toBeUndefined();
  });

  it('applies STP to a pair with the same owner and uncrosses what is left', () => {
    const b = book([
      setMode('auction'),
      limit(1, 'buy', 1010, 10, { ownerId: 7 }),
      limit(2, 'sell', 1000, 10, { ownerId: 7, stp: 'cancel_newest' }),
      limit(3, 'sell', 1005, 10, { ownerId: 9 }),
    ]);
    const r = b.apply(uncross());
    expect(trace(r)).toEqual(['cancelled 2 10 stp', 'fill 3<-1 10@1005']);
    expect(b.orders()).toEqual([]);
  });

  it('works after a halt: auction → halted → auction → uncross', () => {
    const b = book([setMode('auction'), limit(1, 'buy', 1010, 10), setMode('halted'), setMode('auction'), limit(2, 'sell', 1000, 10)]);
    expect(trace(b.apply(uncross()))).toEqual(['fill 2<-1 10@1000']);
  });
});

describe('halted mode', () => {
  it('keeps the book, accepts cancels and the session end, and resumes', () => {
    const b = book([limit(1, 'buy', 1000, 10, { tif: 'DAY' }), limit(2, 'buy', 990, 10), setMode('halted')]);
    expect(b.mode).toBe('halted');
    expect(trace(b.apply({ type: 'expireDay', timestamp: ++ts }))).toEqual(['cancelled 1 10 expired']);
    expect(b.apply(cancel(2)).code).toBe('OK');
    expect(trace(b.apply(setMode('continuous')))).toEqual(['mode continuous']);
    expect(b.apply(limit(3, 'buy', 1000, 10)).code).toBe('OK');
  });
});

describe('views and sequence', () => {
  it('depth aggregates levels best first, limited, with the sequence', () => {
    const b = book([limit(1, 'buy', 1000, 10), limit(2, 'buy', 1000, 15), limit(3, 'buy', 990, 10), limit(4, 'sell', 1010, 10), limit(5, 'sell', 1020, 12)]);
    expect(b.depth(1)).toEqual({
      sequence: 5,
      bids: [{ priceTicks: 1000, qtyLots: 25, orders: 2 }],
      asks: [{ priceTicks: 1010, qtyLots: 10, orders: 1 }],
    });
    expect(b.depth(10).bids).toHaveLength(2);
    expect(b.depth(0)).toEqual({ sequence: 5, bids: [], asks: [] });
  });

  it('orders() lists bids then asks, each in priority order, with everything a snapshot needs', () => {
    const b = book([limit(1, 'buy', 990, 10), limit(2, 'buy', 1000, 10), limit(3, 'buy', 1000, 10), limit(4, 'sell', 1020, 10), limit(5, 'sell', 1010, 10)]);
    expect(b.orders().map((o) => o.orderId)).toEqual([2, 3, 1, 5, 4]);
    expect(b.getOrder(3)).toEqual({
      orderId: 3,
      ownerId: 3,
      side: 'buy',
      priceTicks: 1000,
      remainingLots: 10,
      tif: 'GTC',
      stp: 'none',
      timestamp: ts - 2,
      postOnly: false,
      queuedSequence: 3,
    });
    expect(b.getOrder(99)).toBeUndefined();
  });

  it('the sequence moves once per command that changed the book', () => {
    const b = book();
    expect(b.apply(limit(1, 'buy', 1000, 10)).sequence).toBe(1);
    expect(b.apply(limit(2, 'buy', 1000, 1)).sequence).toBe(1);
    expect(b.apply(limit(3, 'sell', 1000, 30, { tif: 'IOC' })).sequence).toBe(2);
    expect(b.apply({ type: 'setReferencePrice', referencePriceTicks: 1000, timestamp: 1 }).sequence).toBe(2);
    expect(b.apply({ type: 'setReferencePrice', referencePriceTicks: 1001, timestamp: 1 }).sequence).toBe(3);
    expect(b.apply(setMode('continuous')).sequence).toBe(3);
    expect(b.sequence).toBe(3);
  });

  it('keeps every level reachable when the reference price moves the band far away and back', () => {
    const b = book([limit(1, 'buy', 990, 10), limit(3, 'buy', 990, 10)]);
    const far = { type: 'setReferencePrice', referencePriceTicks: 5_000_000, timestamp: ++ts } as const;
    expect(b.apply(far).code).toBe('OK');
    expect(b.apply(limit(4, 'buy', 4_600_000, 10)).code).toBe('OK');
    expect(b.depth(5).bids.map((l) => l.priceTicks)).toEqual([4_600_000, 990]);
    expect(trace(b.apply(cancel(1)))).toEqual(['own cancelled 10 user']);
    expect(b.apply({ ...far, referencePriceTicks: 1000 }).code).toBe('OK');
    expect(trace(b.apply(limit(5, 'sell', 990, 10)))).toEqual(['fill 5<-4 10@4600000']);
    expect(trace(b.apply(limit(6, 'sell', 990, 10)))).toEqual(['fill 6<-3 10@990']);
    expect(b.verify()).toBeUndefined();
  });

  it('config follows the reference price and the mode', () => {
    const b = book([{ type: 'setReferencePrice', referencePriceTicks: 1200, timestamp: 1 }, setMode('auction')]);
    expect(b.config).toEqual({ ...CFG, referencePriceTicks: 1200, mode: 'auction' });
  });

  it('rejects an impossible configuration at construction (a bug, so it throws)', () => {
    expect(() => new OrderBook({ ...CFG, minQtyLots: 0 })).toThrow(RangeError);
    expect(() => new OrderBook({ ...CFG, referencePriceTicks: -1 })).toThrow(RangeError);
    expect(() => new OrderBook({ ...CFG, mode: 'closed' as 'halted' })).toThrow(RangeError);
  });
});

describe('snapshot and restore', () => {
  const setup = () =>
    book([
      limit(1, 'buy', 1000, 10, { ownerId: 5, stp: 'cancel_oldest', tif: 'DAY' }),
      limit(2, 'buy', 1000, 20, { postOnly: true }),
      limit(3, 'sell', 1010, 10),
      amend(1, { qtyLots: 30 }),
      limit(4, 'sell', 1010, 15),
    ]);

  it('restores the same queues, sequence and attributes, and then behaves identically', () => {
    const a = setup();
    const b = OrderBook.restore(JSON.parse(JSON.stringify(a.snapshot())) as BookSnapshot);
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(queue(b, 'buy')).toEqual([2, 1]);
    for (const c of [limit(5, 'sell', 1000, 25, { ownerId: 5 }), limit(6, 'buy', 1010, 20), { type: 'expireDay', timestamp: ++ts } as BookCommand]) {
      expect(b.apply(c)).toEqual(a.apply(c));
    }
  });

  it('accepts a hand-built snapshot without the optional fields', () => {
    const b = OrderBook.restore({
      config: CFG,
      mode: 'auction',
      sequence: 40,
      orders: [
        { orderId: 7, ownerId: 1, side: 'buy', priceTicks: 1010, remainingLots: 10, tif: 'GTC', stp: 'none', timestamp: 5 },
        { orderId: 8, ownerId: 2, side: 'sell', priceTicks: 1000, remainingLots: 10, tif: 'GTC', stp: 'none', timestamp: 6 },
      ],
    });
    expect(b.sequence).toBe(40);
    expect(b.mode).toBe('auction');
    // Equal queued sequences: the later timestamp is the taker.
    expect(b.apply(uncross()).events[0]).toMatchObject({ takerOrderId: 8, priceTicks: 1000, aggressorSide: 'sell' });
  });

  it('refuses a snapshot no book could have produced', () => {
    const good = setup().snapshot();
    const o = good.orders[0]!;
    expect(() => OrderBook.restore({ ...good, orders: [o, o] })).toThrow(/duplicate/);
    expect(() => OrderBook.restore({ ...good, orders: [{ ...o, remainingLots: 0 }] })).toThrow(/bad resting order/);
    expect(() => OrderBook.restore({ ...good, orders: [{ ...o, tif: 'IOC' }] })).toThrow(/bad resting order/);
    expect(() => OrderBook.restore({ ...good, orders: [o, { ...o, orderId: 99, side: 'sell', priceTicks: 990 }] })).toThrow(/crossed/);
    expect(() => OrderBook.restore({ ...good, sequence: -1 })).toThrow(/sequence/);
    expect(() => OrderBook.restore({ ...good, orders: [{ ...o, queuedSequence: good.sequence + 1 }] })).toThrow(/bad resting order/);
  });

  it('reuses order records: many orders through a small book leave a small book', () => {
    const b = book();
    for (let i = 1; i <= 20_000; i++) {
      b.apply(limit(i, i % 2 ? 'buy' : 'sell', i % 2 ? 990 : 1010, 10));
      if (i > 10) b.apply(cancel(i - 10));
    }
    expect(b.size).toBe(10);
    expect(b.stats()).toMatchObject({ liveOrders: 10, orderRecords: 11, levels: 2 });
    expect(b.verify()).toBeUndefined();
  });
});
