import { ceilFen, toFen, type Dec } from '../shared/decimal.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';

const BPS = 10_000;

/**
 * Cash a buy locks for each lot it may still buy at `priceTicks`: the lot's cost rounded up to
 * the fen plus the buyer's fee on that, rounded up. Because rounding up is subadditive, the
 * reservation of any set of lots always covers what filling them can cost at or below the limit
 * (amounts and fees round half up), so settlement can never fail for funds.
 */
export function buyReservePerLot(spec: InstrumentSpec, priceTicks: number): Dec {
  const lotCost = ceilFen(spec.priceDecimal(priceTicks).mul(spec.lot));
  return lotCost.add(ceilFen(lotCost.mul(spec.row.buyer_fee_bps).div(BPS)));
}

export interface TradeAmounts {
  amount: Dec;
  buyerFee: Dec;
  sellerFee: Dec;
}

/** Amount and fees of one fill, each rounded half up to the fen. */
export function tradeAmounts(spec: InstrumentSpec, priceTicks: number, lots: number): TradeAmounts {
  const amount = toFen(spec.priceDecimal(priceTicks).mul(spec.lotsDecimal(lots)));
  return {
    amount,
    buyerFee: toFen(amount.mul(spec.row.buyer_fee_bps).div(BPS)),
    sellerFee: toFen(amount.mul(spec.row.seller_fee_bps).div(BPS)),
  };
}
