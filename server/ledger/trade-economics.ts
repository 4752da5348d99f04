import { ceilFen, toFen, type Dec } from '../shared/decimal.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';

const BPS = 10_000;

/**
 * Cash a buy locks for each lot it may still buy at `priceTicks`: the lot's cost rounded up to
 * the fen plus the buyer's fee on that, rounded up. Because rounding up is subadditive, the
 * reservation of any set of lots always covers what filling them can cost at or below the limit
 * (amounts and fees round half up), so settlement can never fail for funds.
 */
export function buyReservePerLot(spec: InstrumentSpec, priceTicks: number, buyerFeeBps = spec.row.buyer_fee_bps): Dec {
  const lotCost = ceilFen(spec.priceDecimal(priceTicks).mul(spec.lot));
  return lotCost.add(ceilFen(lotCost.mul(buyerFeeBps).div(BPS)));
}

export interface TradeAmounts {
  amount: Dec;
  buyerFee: Dec;
  sellerFee: Dec;
}

/**
 * Amount and fees of one fill, each rounded half up to the fen. Book fills pass the rates their
 * orders were placed under; off-book trades use the instrument's current rates.
 */
export function tradeAmounts(
  spec: InstrumentSpec,
  priceTicks: number,
  lots: number,
  rates: { buyerFeeBps: number; sellerFeeBps: number } = { buyerFeeBps: spec.row.buyer_fee_bps, sellerFeeBps: spec.row.seller_fee_bps },
): TradeAmounts {
  const amount = toFen(spec.priceDecimal(priceTicks).mul(spec.lotsDecimal(lots)));
  return {
    amount,
    buyerFee: toFen(amount.mul(rates.buyerFeeBps).div(BPS)),
    sellerFee: toFen(amount.mul(rates.sellerFeeBps).div(BPS)),
  };
}

/**
 * What a trade at `priceTicks` costs its buyer at the instrument's current rates: the amount and
 * the buyer's fee, as settlement will take them. An off-book buyer locks this much up front.
 */
export function buyerCost(spec: InstrumentSpec, priceTicks: number, lots: number): Dec {
  const a = tradeAmounts(spec, priceTicks, lots);
  return a.amount.add(a.buyerFee);
}
