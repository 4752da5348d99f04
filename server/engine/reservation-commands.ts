import { shortfall } from './shortfall.ts';
import { unprocessable } from '../errors.ts';
import { tradeAmounts } from '../ledger/trade-economics.ts';
import type {
  Accepted,
  OffBookTradeCommand,
  ReleaseCommand,
  ReserveCommand,
  SplitReservationCommand,
  TopUpReservationCommand,
} from './commands.ts';
import { CASH } from './assets.ts';
import { reservationView } from './reservation.ts';
import type { BatchContext, TradeRecord } from './batch-context.ts';

// Reservations (cash or quantity set aside for a listing or a block trade) and the off-book
// trades they pay for. The holds do the arithmetic; these say who may and what is refused.

export function reserve(batch: BatchContext, c: ReserveCommand): Accepted<ReserveCommand> {
  if (c.amount.lte(0)) throw unprocessable('INVALID_AMOUNT', 'a reservation must be positive');
  batch.ensureActive(c.participantId);
  const reservation = batch.holds.reserve(c.participantId, c.asset, c.amount, c.purpose, c.reference, (available, frozen) => shortfall(c.asset, c.amount, available, frozen));
  batch.audit(c.actor, 'reservation.create', `reservation:${reservation.id}`, { participantId: c.participantId, asset: c.asset, amount: c.amount.toString(), purpose: c.purpose, reference: c.reference });
  return { ok: true, reservation: reservationView(reservation) };
}

export function release(batch: BatchContext, c: ReleaseCommand): Accepted<ReleaseCommand> {
  const r = batch.holds.active(c.reservationId);
  const amount = c.amount ?? r.amount;
  batch.holds.shrink(r, amount, amount, 'released');
  batch.audit(c.actor, 'reservation.release', `reservation:${r.id}`, { participantId: r.participantId, asset: r.asset, released: amount.toString(), remaining: r.amount.toString() });
  return { ok: true, reservation: reservationView(r) };
}

export function topUp(batch: BatchContext, c: TopUpReservationCommand): Accepted<TopUpReservationCommand> {
  const r = batch.holds.active(c.reservationId);
  if (c.amount.lte(0)) throw unprocessable('INVALID_AMOUNT', 'a top-up must be positive');
  batch.ensureActive(r.participantId);
  batch.holds.topUp(r, c.amount, (available, frozen) => shortfall(r.asset, c.amount, available, frozen));
  batch.audit(c.actor, 'reservation.topUp', `reservation:${r.id}`, { participantId: r.participantId, asset: r.asset, added: c.amount.toString(), amount: r.amount.toString() });
  return { ok: true, reservation: reservationView(r) };
}

export function split(batch: BatchContext, c: SplitReservationCommand): Accepted<SplitReservationCommand> {
  const r = batch.holds.active(c.reservationId);
  if (c.parts.length === 0 || c.parts.some((p) => p.amount.lte(0))) throw unprocessable('INVALID_AMOUNT', 'every part of a split must be positive');
  const parts = batch.holds.split(r, c.parts);
  batch.audit(c.actor, 'reservation.split', `reservation:${r.id}`, { participantId: r.participantId, asset: r.asset, remaining: r.amount.toString(), parts: parts.map((p) => ({ id: p.id, amount: p.amount.toString(), reference: p.reference })) });
  return { ok: true, reservations: parts.map(reservationView) };
}

export function offBookTrade(batch: BatchContext, c: OffBookTradeCommand): Accepted<OffBookTradeCommand> {
  const spec = batch.spec(c.symbol);
  const buyer = batch.holds.active(c.buyerReservationId);
  const seller = batch.holds.active(c.sellerReservationId);
  if (buyer.asset !== CASH || seller.asset !== c.symbol) throw unprocessable('RESERVATION_MISMATCH', 'the buyer must reserve cash and the seller the instrument');
  if (buyer.participantId === seller.participantId) throw unprocessable('SELF_TRADE', 'a participant cannot trade with itself');
  const amounts = tradeAmounts(spec, c.priceTicks, c.qtyLots);
  const cost = amounts.amount.add(amounts.buyerFee);
  const quantity = spec.lotsDecimal(c.qtyLots);
  if (buyer.amount.lt(cost)) throw unprocessable('RESERVATION_TOO_SMALL', `the buyer's reservation of ¥${buyer.amount.toFixed(2)} does not cover ¥${cost.toFixed(2)}`);
  if (seller.amount.lt(quantity)) throw unprocessable('RESERVATION_TOO_SMALL', `the seller's reservation does not cover ${quantity.toString()} ${spec.row.unit}`);
  // The trade's cost stays locked until settlement moves it; whatever else was reserved goes back now.
  batch.holds.shrink(buyer, buyer.amount, buyer.amount.sub(cost), 'consumed');
  batch.holds.shrink(seller, seller.amount, seller.amount.sub(quantity), 'consumed');
  const trade: TradeRecord = {
    id: batch.state.ids.take(),
    venue: c.venue,
    symbol: spec.symbol,
    priceTicks: c.priceTicks,
    lots: c.qtyLots,
    amounts,
    buyOrder: null,
    sellOrder: null,
    buyerId: buyer.participantId,
    sellerId: seller.participantId,
    aggressorSide: 'buy',
    executedAt: batch.now,
    offBookRef: c.reference,
  };
  batch.trades.push(trade);
  batch.touchedSymbols.add(spec.symbol);
  batch.audit(c.actor, `trade.${c.venue}`, `trade:${trade.id}`, { symbol: c.symbol, price: spec.ticksToPrice(c.priceTicks), quantity: spec.lotsToQuantity(c.qtyLots), buyerId: trade.buyerId, sellerId: trade.sellerId, reference: c.reference });
  return {
    ok: true,
    trade: {
      id: String(trade.id),
      venue: c.venue,
      symbol: spec.symbol,
      price: spec.ticksToPrice(c.priceTicks),
      quantity: spec.lotsToQuantity(c.qtyLots),
      amount: amounts.amount.toFixed(2),
      buyerFee: amounts.buyerFee.toFixed(2),
      sellerFee: amounts.sellerFee.toFixed(2),
      buyerId: trade.buyerId,
      sellerId: trade.sellerId,
      executedAt: batch.now.toISOString(),
    },
  };
}
