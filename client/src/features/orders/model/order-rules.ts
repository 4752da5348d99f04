import type { BookLevel, Instrument, OrderType, Side } from '../../../shared/api/types.ts';
import { Dec, dec, isDecimalString } from '../../../shared/format/decimal.ts';
import { feeFor } from '../../../shared/rules/fee.ts';

// The instrument's trading rules, checked before an order is sent: price on the tick and inside
// the band around the reference price, quantity on the lot and at least the minimum, and full
// prefunding (a buy needs notional + fee in available cash; a sell needs available holdings).
// The server checks the same rules again; its message is shown if it still refuses.

export type RuleError =
  | { field: 'price'; key: 'priceRequired' | 'priceFormat' }
  | { field: 'price'; key: 'priceTick'; tick: string }
  | { field: 'price'; key: 'priceBand'; low: string; high: string }
  | { field: 'quantity'; key: 'quantityRequired' | 'quantityFormat' }
  | { field: 'quantity'; key: 'quantityLot'; lot: string }
  | { field: 'quantity'; key: 'quantityMin'; min: string }
  | { field: 'funds'; key: 'insufficientCash'; need: string; have: string }
  | { field: 'funds'; key: 'insufficientHoldings'; have: string }
  | { field: 'funds'; key: 'holdingsFrozen'; have: string; frozen: string };

export interface OrderDraft {
  side: Side;
  type: OrderType;
  price: string;
  quantity: string;
}

export interface Funds {
  cashAvailable: string | null;
  holdingAvailable: string | null;
  /** What of the holding frozen lots lock (冻结), when any: a shortfall it explains is told apart. */
  holdingFrozen?: string | null;
}

export interface OrderAssessment {
  errors: RuleError[];
  notional: Dec | null;
  fee: Dec | null;
  /** Cash a buy locks (notional + fee); null for a sell. */
  cashToLock: Dec | null;
  /** Market order: the book could not cover the whole quantity. */
  partialEstimate: boolean;
}

/** The band the server accepts limit prices in, on the tick grid (the server computes it: GET /api/instruments). */
export function priceBand(instrument: Instrument): { low: Dec; high: Dec } {
  return { low: dec(instrument.bandLow), high: dec(instrument.bandHigh) };
}

/** Walks the opposite side of the book to estimate what a market order would cost. */
export function estimateMarket(levels: readonly BookLevel[], quantity: Dec): { notional: Dec; partial: boolean } {
  let left = quantity;
  let notional = new Dec(0);
  for (const level of levels) {
    if (left.isZero()) break;
    const take = Dec.min(left, dec(level.quantity));
    notional = notional.plus(take.times(level.price));
    left = left.minus(take);
  }
  return { notional: notional.toDecimalPlaces(2, Dec.ROUND_HALF_UP), partial: left.greaterThan(0) };
}

export function assessOrder(
  instrument: Instrument,
  draft: OrderDraft,
  funds: Funds,
  oppositeLevels: readonly BookLevel[],
): OrderAssessment {
  const errors: RuleError[] = [];
  let price: Dec | null = null;
  let quantity: Dec | null = null;

  if (draft.type === 'limit') {
    const p = draft.price.trim();
    if (!p) errors.push({ field: 'price', key: 'priceRequired' });
    else if (!isDecimalString(p) || dec(p).lessThanOrEqualTo(0)) errors.push({ field: 'price', key: 'priceFormat' });
    else {
      price = dec(p);
      const tick = dec(instrument.tickSize);
      const band = priceBand(instrument);
      if (!price.modulo(tick).isZero()) errors.push({ field: 'price', key: 'priceTick', tick: instrument.tickSize });
      else if (price.lessThan(band.low) || price.greaterThan(band.high))
        errors.push({ field: 'price', key: 'priceBand', low: band.low.toFixed(2), high: band.high.toFixed(2) });
    }
  }

  const q = draft.quantity.trim();
  if (!q) errors.push({ field: 'quantity', key: 'quantityRequired' });
  else if (!isDecimalString(q) || dec(q).lessThanOrEqualTo(0)) errors.push({ field: 'quantity', key: 'quantityFormat' });
  else {
    quantity = dec(q);
    const lot = dec(instrument.lotSize);
    const min = dec(instrument.minQuantity);
    if (!quantity.modulo(lot).isZero()) errors.push({ field: 'quantity', key: 'quantityLot', lot: instrument.lotSize });
    else if (quantity.lessThan(min)) errors.push({ field: 'quantity', key: 'quantityMin', min: min.toString() });
  }

  let notional: Dec | null = null;
  let partialEstimate = false;
  if (quantity && !errors.some((e) => e.field === 'quantity')) {
    if (draft.type === 'limit' && price && !errors.some((e) => e.field === 'price')) {
      notional = price.times(quantity).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
    } else if (draft.type === 'market' && oppositeLevels.length > 0) {
      const est = estimateMarket(oppositeLevels, quantity);
      notional = est.notional;
      partialEstimate = est.partial;
    }
  }

  const fee = notional ? feeFor(notional, draft.side === 'buy' ? instrument.buyerFeeBps : instrument.sellerFeeBps) : null;
  const cashToLock = draft.side === 'buy' && notional && fee ? notional.plus(fee) : null;

  if (draft.side === 'buy' && cashToLock && funds.cashAvailable !== null && cashToLock.greaterThan(funds.cashAvailable)) {
    errors.push({ field: 'funds', key: 'insufficientCash', need: cashToLock.toFixed(2), have: dec(funds.cashAvailable).toFixed(2) });
  }
  if (draft.side === 'sell' && quantity && funds.holdingAvailable !== null && quantity.greaterThan(funds.holdingAvailable)) {
    const frozen = funds.holdingFrozen ? dec(funds.holdingFrozen) : null;
    if (frozen && frozen.greaterThan(0) && quantity.lessThanOrEqualTo(frozen.plus(funds.holdingAvailable))) {
      errors.push({ field: 'funds', key: 'holdingsFrozen', have: funds.holdingAvailable, frozen: funds.holdingFrozen! });
    } else {
      errors.push({ field: 'funds', key: 'insufficientHoldings', have: funds.holdingAvailable });
    }
  }

  return { errors, notional, fee, cashToLock, partialEstimate };
}
