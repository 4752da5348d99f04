import { unprocessable, type AppError } from '../errors.ts';
import type { Dec } from '../shared/decimal.ts';
import { CASH } from './assets.ts';

/**
 * The refusal when a lock, reservation or use asks for more than is available: cash and
 * quantities under their own codes, with both figures as params so the client can say them in
 * its own words (¥ for cash, the unit for quantities).
 */
export function shortfall(asset: string, need: Dec, available: Dec): AppError {
  return asset === CASH
    ? unprocessable('INSUFFICIENT_FUNDS', `¥${need.toFixed(2)} is needed but only ¥${available.toFixed(2)} is available`, { need: need.toFixed(2), available: available.toFixed(2) })
    : unprocessable('INSUFFICIENT_HOLDINGS', `${need.toString()} is needed but only ${available.toString()} is available`, { needQuantity: need.toString(), availableQuantity: available.toString() });
}
