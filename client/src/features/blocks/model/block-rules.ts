import type { Instrument, Side } from '../../../shared/api/types.ts';
import { Dec, dec, isDecimalString } from '../../../shared/format/decimal.ts';
import { feeFor } from '../../../shared/rules/fee.ts';

// A block trade's terms, checked before the proposal is sent: price on the tick and inside the
// block band (±30% of the reference price by default, as the instrument list advertises),
// quantity on the lot and at least the block minimum, a counterparty, the right to sell a
// government-only indicator, and the proposer's own side funded (cash for amount + fee, or the
// quantity). The server checks all of it again.

export type BlockField = 'counterparty' | 'price' | 'quantity' | 'funds' | 'side';

export type BlockError =
  | { field: 'counterparty'; key: 'counterpartyRequired' }
  | { field: 'side'; key: 'sellerNotEligible' }
  | { field: 'price'; key: 'priceRequired' | 'priceFormat' }
  | { field: 'price'; key: 'priceTick'; values: { tick: string } }
  | { field: 'price'; key: 'priceBand'; values: { low: string; high: string } }
  | { field: 'quantity'; key: 'quantityRequired' | 'quantityFormat' }
  | { field: 'quantity'; key: 'quantityLot'; values: { lot: string } }
  | { field: 'quantity'; key: 'blockMinimum'; values: { min: string } }
  | { field: 'funds'; key: 'insufficientCash'; values: { need: string; have: string } }
  | { field: 'funds'; key: 'insufficientHoldings'; values: { have: string } }
  | { field: 'funds'; key: 'holdingsFrozen'; values: { have: string; frozen: string } };

export interface BlockDraft {
  symbol: string;
  side: Side;
  counterpartyId: string;
  price: string;
  quantity: string;
  note: string;
}

export interface BlockFunds {
  kind: 'government' | 'enterprise' | string | undefined;
  cashAvailable: string | null;
  holdingAvailable: string | null;
  /** What frozen lots lock of the holding (冻结), when any. */
  holdingFrozen?: string | null;
}

export interface BlockAssessment {
  errors: BlockError[];
  amount: Dec | null;
  /** The proposer's own fee at its side's rate. */
  fee: Dec | null;
  /** What the proposal locks from the proposer's cash (buy: amount + fee). */
  cashToLock: Dec | null;
}

/** Prices a block trade may be agreed at today, as the server computes them (GET /api/instruments). */
export function blockBand(instrument: Instrument): { low: Dec; high: Dec } {
  return { low: dec(instrument.blockBandLow), high: dec(instrument.blockBandHigh) };
}

export function assessBlockDraft(instrument: Instrument, draft: BlockDraft, funds: BlockFunds): BlockAssessment {
  const errors: BlockError[] = [];
  if (!draft.counterpartyId) errors.push({ field: 'counterparty', key: 'counterpartyRequired' });
  if (draft.side === 'sell' && instrument.sellerKinds === 'government' && funds.kind !== undefined && funds.kind !== 'government') {
    errors.push({ field: 'side', key: 'sellerNotEligible' });
  }

  let price: Dec | null = null;
  const p = draft.price.trim();
  if (!p) errors.push({ field: 'price', key: 'priceRequired' });
  else if (!isDecimalString(p) || dec(p).lessThanOrEqualTo(0)) errors.push({ field: 'price', key: 'priceFormat' });
  else if (!dec(p).modulo(instrument.tickSize).isZero()) errors.push({ field: 'price', key: 'priceTick', values: { tick: instrument.tickSize } });
  else {
    price = dec(p);
    const band = blockBand(instrument);
    if (price.lessThan(band.low) || price.greaterThan(band.high)) {
      errors.push({ field: 'price', key: 'priceBand', values: { low: band.low.toFixed(2), high: band.high.toFixed(2) } });
    }
  }

  let quantity: Dec | null = null;
  const q = draft.quantity.trim();
  if (!q) errors.push({ field: 'quantity', key: 'quantityRequired' });
  else if (!isDecimalString(q) || dec(q).lessThanOrEqualTo(0)) errors.push({ field: 'quantity', key: 'quantityFormat' });
  else if (!dec(q).modulo(instrument.lotSize).isZero()) errors.push({ field: 'quantity', key: 'quantityLot', values: { lot: instrument.lotSize } });
  else {
    quantity = dec(q);
    const min = instrument.blockMinQuantity;
    if (quantity.lessThan(min)) errors.push({ field: 'quantity', key: 'blockMinimum', values: { min } });
  }

  const amount = price && quantity && !errors.some((e) => e.field === 'price' || e.field === 'quantity') ? price.times(quantity).toDecimalPlaces(2, Dec.ROUND_HALF_UP) : null;
  const fee = amount ? feeFor(amount, draft.side === 'buy' ? instrument.buyerFeeBps : instrument.sellerFeeBps) : null;
  const cashToLock = draft.side === 'buy' && amount && fee ? amount.plus(fee) : null;
  if (cashToLock && funds.cashAvailable !== null && cashToLock.greaterThan(funds.cashAvailable)) {
    errors.push({ field: 'funds', key: 'insufficientCash', values: { need: cashToLock.toFixed(2), have: dec(funds.cashAvailable).toFixed(2) } });
  }
  if (draft.side === 'sell' && quantity && funds.holdingAvailable !== null && quantity.greaterThan(funds.holdingAvailable)) {
    const frozen = funds.holdingFrozen ? dec(funds.holdingFrozen) : null;
    if (frozen && frozen.greaterThan(0) && quantity.lessThanOrEqualTo(frozen.plus(funds.holdingAvailable))) {
      errors.push({ field: 'funds', key: 'holdingsFrozen', values: { have: funds.holdingAvailable, frozen: funds.holdingFrozen! } });
    } else {
      errors.push({ field: 'funds', key: 'insufficientHoldings', values: { have: funds.holdingAvailable } });
    }
  }
  return { errors, amount, fee, cashToLock };
}
