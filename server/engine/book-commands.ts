import { shortfall } from './shortfall.ts';
import type { ApplyResult, CancelReason, RejectCode } from '../../matching/types.ts';
import { AppError, conflict, forbidden, unprocessable } from '../errors.ts';
import type { Dec as DecT } from '../shared/decimal.ts';
import { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { buyReservePerLot, tradeAmounts } from '../ledger/trade-economics.ts';
import { remainingLots, type LiveOrder } from './live-order.ts';
import type {
  AmendCommand,
  CancelCommand,
  Accepted,
  ExpireDayCommand,
  FillView,
  PlaceCommand,
  SetModeCommand,
  SetReferencePriceCommand,
  UncrossCommand,
} from './commands.ts';
import { orderView } from './order-view.ts';
import { assetOf } from './holds.ts';
import type { BatchContext, TradeRecord } from './batch-context.ts';

// Commands on the order books: each runs its orders' holds first (full prefunding), then the
// book, then records what the book's events did to orders, balances and trades.

export function place(batch: BatchContext, c: PlaceCommand): Accepted<PlaceCommand> {
  const spec = batch.spec(c.symbol);
  const book = batch.book(c.symbol);
  batch.ensureActive(c.participantId);
  spec.ensureTradable();
  // A market buy is bounded by the band, so it reserves as a limit buy at the band's top.
  const reservePriceTicks = c.priceTicks ?? spec.bandTicks().high;
  const order: LiveOrder = {
    id: batch.state.ids.take(),
    participantId: c.participantId,
    userId: c.actor.userId,
    clientOrderId: c.clientOrderId,
    requestFingerprint: c.requestFingerprint ?? null,
    symbol: c.symbol,
    side: c.side,
    type: c.type,
    tif: c.tif,
    priceTicks: c.priceTicks,
    qtyLots: c.qtyLots,
    filledLots: 0,
    status: 'open',
    cancelReason: null,
    reservePerLot: c.side === 'buy' ? buyReservePerLot(spec, reservePriceTicks) : null,
    feeBps: c.side === 'buy' ? spec.row.buyer_fee_bps : spec.row.seller_fee_bps,
    priority: 0,
    createdAt: batch.now,
    updatedAt: batch.now,
  };
  order.priority = order.id;
  const reservation = reservationFor(order, spec, c.qtyLots);
  lockFor(batch, order, reservation);

  const result = book.apply({
    type: 'place',
    orderId: order.id,
    ownerId: Number(c.participantId),
    side: c.side,
    kind: c.type,
    priceTicks: c.priceTicks ?? 0,
    qtyLots: c.qtyLots,
    tif: c.tif,
    stp: 'cancel_newest',
    timestamp: batch.now.getTime(),
  });
  if (result.code !== 'OK') {
    unlockFor(batch, order, reservation);
    throw rejection(result.code);
  }
  batch.newOrderIds.add(order.id);
  batch.touch(order);
  const fills = applyResult(batch, order, spec, result);
  batch.audit(c.actor, 'order.place', `order:${order.id}`, {
    participantId: c.participantId,
    symbol: c.symbol,
    side: c.side,
    type: c.type,
    timeInForce: c.tif,
    price: c.priceTicks === null ? null : spec.ticksToPrice(c.priceTicks),
    quantity: spec.lotsToQuantity(c.qtyLots),
    clientOrderId: c.clientOrderId,
    status: order.status,
    fills: fills.map((f) => f.tradeId),
  });
  return { ok: true, order: orderView(order, spec), fills };
}

function ownedLiveOrder(batch: BatchContext, participantId: string, orderId: number): LiveOrder {
  const order = batch.state.live.get(orderId);
  if (!order) throw conflict('ORDER_NOT_OPEN', `order ${orderId} is not open`);
  if (order.participantId !== participantId) throw forbidden('ORDER_NOT_OWNED', `order ${orderId} belongs to another participant`);
  return order;
}

export function cancel(batch: BatchContext, c: CancelCommand): Accepted<CancelCommand> {
  const order = ownedLiveOrder(batch, c.participantId, c.orderId);
  const spec = batch.spec(order.symbol);
  const result = batch.book(order.symbol).apply({ type: 'cancel', orderId: order.id, timestamp: batch.now.getTime() });
  if (result.code !== 'OK') throw rejection(result.code);
  batch.touch(order);
  applyResult(batch, order, spec, result);
  batch.audit(c.actor, 'order.cancel', `order:${order.id}`, { participantId: c.participantId, symbol: order.symbol, cancelledQuantity: spec.lotsToQuantity(order.qtyLots - order.filledLots) });
  return { ok: true, order: orderView(order, spec), fills: [] };
}

export function amend(batch: BatchContext, c: AmendCommand): Accepted<AmendCommand> {
  batch.ensureActive(c.participantId);
  const order = ownedLiveOrder(batch, c.participantId, c.orderId);
  const spec = batch.spec(order.symbol);
  const book = batch.book(order.symbol);
  spec.ensureTradable();
  const newQty = c.qtyLots ?? order.qtyLots;
  if (newQty <= order.filledLots) {
    throw unprocessable('AMEND_BELOW_FILLED', `the new quantity must exceed the ${spec.lotsToQuantity(order.filledLots)} already filled`);
  }
  const newPrice = c.priceTicks ?? order.priceTicks;
  const before = { qtyLots: order.qtyLots, priceTicks: order.priceTicks, reservePerLot: order.reservePerLot };
  const oldReservation = reservationFor(order, spec, remainingLots(order));
  const newReservePerLot = order.side === 'buy' && newPrice !== null ? buyReservePerLot(spec, newPrice, order.feeBps) : order.reservePerLot;
  const newReservation = order.side === 'buy' ? newReservePerLot!.mul(newQty - order.filledLots) : spec.lotsDecimal(newQty - order.filledLots);
  const extra = newReservation.sub(oldReservation);
  if (extra.gt(0)) lockFor(batch, order, extra);

  const result = book.apply({
    type: 'amend',
    orderId: order.id,
    priceTicks: c.priceTicks ?? undefined,
    qtyLots: newQty - order.filledLots,
    timestamp: batch.now.getTime(),
  });
  if (result.code !== 'OK') {
    if (extra.gt(0)) unlockFor(batch, order, extra);
    throw rejection(result.code);
  }
  order.qtyLots = newQty;
  order.priceTicks = newPrice;
  order.reservePerLot = newReservePerLot;
  if (extra.lt(0)) unlockFor(batch, order, extra.neg());
  batch.touch(order);
  const fills = applyResult(batch, order, spec, result);
  batch.audit(c.actor, 'order.amend', `order:${order.id}`, {
    participantId: c.participantId,
    symbol: order.symbol,
    from: { quantity: spec.lotsToQuantity(before.qtyLots), price: before.priceTicks === null ? null : spec.ticksToPrice(before.priceTicks) },
    to: { quantity: spec.lotsToQuantity(order.qtyLots), price: order.priceTicks === null ? null : spec.ticksToPrice(order.priceTicks) },
    fills: fills.map((f) => f.tradeId),
  });
  return { ok: true, order: orderView(order, spec), fills };
}

export function setMode(batch: BatchContext, c: SetModeCommand): Accepted<SetModeCommand> {
  const spec = batch.spec(c.symbol);
  const result = batch.book(c.symbol).apply({ type: 'setMode', mode: c.mode, timestamp: batch.now.getTime() });
  if (result.code !== 'OK') throw rejection(result.code);
  // Leaving an auction for continuous trading uncrosses the book first: those fills are real.
  applyResult(batch, null, spec, result);
  const status = c.mode === 'continuous' ? 'trading' : c.mode;
  const haltReason = c.mode === 'halted' ? c.reason : null;
  spec.row.status = status;
  spec.row.halt_reason = haltReason;
  batch.instrumentChanges.push({ symbol: c.symbol, status, haltReason });
  batch.touchedSymbols.add(c.symbol);
  batch.audit(c.actor, c.mode === 'halted' ? 'instrument.halt' : 'instrument.resume', `instrument:${c.symbol}`, { symbol: c.symbol, status, reason: c.reason });
  return { ok: true, instrument: { symbol: c.symbol, status, haltReason } };
}

export function uncross(batch: BatchContext, c: UncrossCommand): Accepted<UncrossCommand> {
  const spec = batch.spec(c.symbol);
  const result = batch.book(c.symbol).apply({ type: 'uncross', timestamp: batch.now.getTime() });
  if (result.code !== 'OK') throw rejection(result.code);
  const first = batch.trades.length;
  applyResult(batch, null, spec, result);
  const trades = batch.trades.slice(first);
  const lots = trades.reduce((sum, t) => sum + t.lots, 0);
  const last = trades[trades.length - 1];
  const price = last ? spec.ticksToPrice(last.priceTicks) : null;
  batch.audit(c.actor, 'instrument.uncross', `instrument:${c.symbol}`, { symbol: c.symbol, reason: c.reason, price, quantity: spec.lotsToQuantity(lots), trades: trades.map((t) => String(t.id)) });
  return { ok: true, uncross: { symbol: c.symbol, trades: trades.length, price, quantity: spec.lotsToQuantity(lots) } };
}

export function expireDay(batch: BatchContext, c: ExpireDayCommand): Accepted<ExpireDayCommand> {
  const spec = batch.spec(c.symbol);
  const result = batch.book(c.symbol).apply({ type: 'expireDay', timestamp: batch.now.getTime() });
  if (result.code !== 'OK') throw rejection(result.code);
  const expired: LiveOrder[] = [];
  for (const event of result.events) {
    if (event.type === 'cancelled') expired.push(liveOrOwn(batch, event.orderId, null));
  }
  applyResult(batch, null, spec, result);
  for (const order of expired) {
    batch.audit(c.actor, 'order.expire', `order:${order.id}`, { participantId: order.participantId, symbol: c.symbol, reason: c.reason, expiredQuantity: spec.lotsToQuantity(order.qtyLots - order.filledLots) });
  }
  return { ok: true, expired: { symbol: c.symbol, orderIds: expired.map((o) => String(o.id)) } };
}

export function setReferencePrice(batch: BatchContext, c: SetReferencePriceCommand): Accepted<SetReferencePriceCommand> {
  const spec = batch.spec(c.symbol);
  const result = batch.book(c.symbol).apply({ type: 'setReferencePrice', referencePriceTicks: c.priceTicks, timestamp: batch.now.getTime() });
  if (result.code !== 'OK') throw rejection(result.code);
  const previous = spec.ticksToPrice(spec.referenceTicks);
  const price = spec.ticksToPrice(c.priceTicks);
  // The spec derives its band from the reference price once, so a new price is a new spec.
  batch.state.specs.set(c.symbol, new InstrumentSpec({ ...spec.row, reference_price: price }));
  batch.referenceChanges.push({ symbol: c.symbol, price });
  batch.touchedSymbols.add(c.symbol);
  batch.audit(c.actor, 'instrument.reference', `instrument:${c.symbol}`, { symbol: c.symbol, previous, price, reason: c.reason });
  return { ok: true, referencePrice: { symbol: c.symbol, price, previous } };
}

/** Suspension takes a participant's resting order off the book, releasing what it reserved. */
export function cancelSuspended(batch: BatchContext, order: LiveOrder): void {
  const spec = batch.spec(order.symbol);
  const result = batch.book(order.symbol).apply({ type: 'cancel', orderId: order.id, timestamp: batch.now.getTime() });
  if (result.code !== 'OK') throw new Error(`suspension: the book refused to cancel live order ${order.id}: ${result.code}`);
  batch.touch(order);
  applyResult(batch, order, spec, result);
  order.cancelReason = 'suspended';
}

/**
 * Applies what a book command did: its events (fills, and resting orders cancelled by STP or
 * expiry), then what became of the command's own (incoming) order; `own` is null for an
 * instrument-level command such as an auction uncross, where every order involved was resting.
 */
function applyResult(batch: BatchContext, own: LiveOrder | null, spec: InstrumentSpec, result: ApplyResult): FillView[] {
  const fills: FillView[] = [];
  for (const event of result.events) {
    switch (event.type) {
      case 'fill': {
        const taker = liveOrOwn(batch, event.takerOrderId, own);
        const maker = liveOrOwn(batch, event.makerOrderId, own);
        const trade = recordFill(batch, spec, taker, maker, event.priceTicks, event.qtyLots, event.aggressorSide, own);
        if (own && (taker === own || maker === own)) fills.push({ tradeId: String(trade.id), price: spec.ticksToPrice(trade.priceTicks), quantity: spec.lotsToQuantity(trade.lots) });
        break;
      }
      case 'cancelled':
        cancelOrder(batch, liveOrOwn(batch, event.orderId, own), spec, event.remainingLots, event.reason);
        break;
      case 'amended': {
        const order = liveOrOwn(batch, event.orderId, own);
        if (event.priorityLost) order.priority = batch.state.ids.take();
        break;
      }
      default:
        break;
    }
  }
  if (own) {
    if (result.cancelledLots > 0) cancelOrder(batch, own, spec, result.cancelledLots, result.cancelReason!);
    else if (result.restedLots > 0) {
      own.status = own.filledLots > 0 ? 'partially_filled' : 'open';
      batch.state.live.set(own.id, own);
    } else if (own.filledLots === own.qtyLots) {
      own.status = 'filled';
      batch.state.live.delete(own.id);
    }
  }
  batch.touchedSymbols.add(spec.symbol);
  return fills;
}

/** Takes an order off the live set, its unfilled lots' reservation released. */
function cancelOrder(batch: BatchContext, order: LiveOrder, spec: InstrumentSpec, lots: number, reason: CancelReason): void {
  unlockFor(batch, order, reservationFor(order, spec, lots));
  order.status = 'cancelled';
  order.cancelReason = reason;
  order.updatedAt = batch.now;
  batch.state.live.delete(order.id);
  batch.touch(order);
}

function liveOrOwn(batch: BatchContext, orderId: number, own: LiveOrder | null): LiveOrder {
  if (own && orderId === own.id) return own;
  const order = batch.state.live.get(orderId);
  if (!order) throw new Error(`book event names order ${orderId}, which the engine host does not know`);
  return order;
}

function recordFill(batch: BatchContext, spec: InstrumentSpec, taker: LiveOrder, maker: LiveOrder, priceTicks: number, lots: number, aggressorSide: 'buy' | 'sell', incoming: LiveOrder | null): TradeRecord {
  const buyOrder = taker.side === 'buy' ? taker : maker;
  const sellOrder = taker.side === 'buy' ? maker : taker;
  const amounts = tradeAmounts(spec, priceTicks, lots, { buyerFeeBps: buyOrder.feeBps, sellerFeeBps: sellOrder.feeBps });
  // The buyer locked reservePerLot for each lot; what the fill does not cost goes back at once,
  // and the cost itself stays locked until settlement pays the seller.
  const unused = buyOrder.reservePerLot!.mul(lots).sub(amounts.amount).sub(amounts.buyerFee);
  if (unused.lt(0)) throw new Error(`reservation shortfall on order ${buyOrder.id}`);
  if (unused.gt(0)) unlockFor(batch, buyOrder, unused);
  for (const order of [taker, maker]) {
    order.filledLots += lots;
    order.updatedAt = batch.now;
    // The incoming order's final status is settled once all its events are walked; an order that
    // was resting (every order in an auction uncross) is final after each fill.
    if (order !== incoming) {
      order.status = order.filledLots === order.qtyLots ? 'filled' : 'partially_filled';
      if (order.status === 'filled') batch.state.live.delete(order.id);
    } else {
      order.status = 'partially_filled';
    }
    batch.touch(order);
  }
  const trade: TradeRecord = {
    id: batch.state.ids.take(),
    venue: 'book',
    symbol: spec.symbol,
    priceTicks,
    lots,
    amounts,
    buyOrder,
    sellOrder,
    buyerId: buyOrder.participantId,
    sellerId: sellOrder.participantId,
    aggressorSide,
    executedAt: batch.now,
  };
  batch.trades.push(trade);
  return trade;
}

function reservationFor(order: LiveOrder, spec: InstrumentSpec, lots: number): DecT {
  return order.side === 'buy' ? order.reservePerLot!.mul(lots) : spec.lotsDecimal(lots);
}

/** Locks what an order needs, refused as the order's own shortfall. */
function lockFor(batch: BatchContext, order: LiveOrder, amount: DecT): void {
  batch.holds.lock(order.participantId, assetOf(order), amount, (available, frozen) => shortfall(assetOf(order), amount, available, frozen));
}

function unlockFor(batch: BatchContext, order: LiveOrder, amount: DecT): void {
  if (amount.isZero()) return;
  batch.holds.unlock(order.participantId, assetOf(order), amount);
}

// Engine reject codes that reach the API; the book's own validation doubles as the server's.
const rejectStatus: Partial<Record<RejectCode, number>> = { UNKNOWN_ORDER: 404, INSTRUMENT_HALTED: 409, NOT_IN_AUCTION: 409 };
const rejectMessages: Partial<Record<RejectCode, string>> = {
  INSTRUMENT_HALTED: 'the instrument is halted; only cancels are accepted',
  PRICE_OUT_OF_BAND: 'price is outside the price band',
  POST_ONLY_WOULD_TRADE: 'a post-only order would trade on arrival',
  NO_LIQUIDITY: 'no resting orders to trade against',
  AMEND_NO_CHANGE: 'the amendment changes nothing',
  BELOW_MIN_QUANTITY: 'quantity is below the instrument minimum',
  NOT_IN_AUCTION: 'the instrument is not in a call auction',
};

function rejection(code: RejectCode): AppError {
  return new AppError(rejectStatus[code] ?? 422, code, rejectMessages[code] ?? code.toLowerCase().replace(/_/g, ' '));
}
