import { unprocessable, type AppError } from '../errors.ts';
import { ZERO, type Dec } from '../shared/decimal.ts';
import { CASH } from './assets.ts';

/**
 * The refusal when a lock, reservation or use asks for more than is available: cash and
 * quantities under their own codes, with both figures as params so the client can say them in
 * its own words (¥ for cash, the unit for quantities). When the holder would have enough but for
 * frozen lots, the refusal is LOT_FROZEN with the frozen quantity: the holder cannot fix that by
 * buying more, only the authority that froze the lot can, so it is told apart from a plain shortfall.
 */
export function shortfall(asset: string, need: Dec, available: Dec, frozen: Dec = ZERO): AppError {
  if (asset === CASH) {
    return unprocessable('INSUFFICIENT_FUNDS', `¥${need.toFixed(2)} is needed but only ¥${available.toFixed(2)} is available`, { need: need.toFixed(2), available: available.toFixed(2) });
  }
  const figures = { needQuantity: need.toString(), availableQuantity: available.toString() };
  if (frozen.gt(0) && need.lte(available.add(frozen))) {
    return unprocessable('LOT_FROZEN', `${need.toString()} is needed but only ${available.toString()} is available: ${frozen.toString()} is frozen`, { ...figures, frozenQuantity: frozen.toString() });
  }
  return unprocessable('INSUFFICIENT_HOLDINGS', `${need.toString()} is needed but only ${available.toString()} is available`, figures);
}
