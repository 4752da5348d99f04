import { Dec } from '../format/decimal.ts';

/** The fee on a notional at the instrument's rate in basis points, to the fen, half up (as the server charges it). */
export function feeFor(notional: Dec, bps: number | undefined): Dec {
  return notional.times(bps ?? 0).dividedBy(10_000).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
}
