import Decimal from 'decimal.js';

/**
 * The platform's decimal type: a private clone so no library can change our rounding. Money is
 * rounded half-up to the fen, the convention of Chinese settlement documents.
 */
export const Dec = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
export type Dec = InstanceType<typeof Dec>;

export const ZERO = new Dec(0);

export { DECIMAL_PATTERN } from '../../contract/common.ts';

export const dec = (value: string | number | bigint | Dec): Dec =>
  value instanceof Dec ? value : new Dec(typeof value === 'bigint' ? value.toString() : value);

/** Rounds to the fen (2 places), half up. */
export const toFen = (value: Dec): Dec => value.toDecimalPlaces(2, Dec.ROUND_HALF_UP);
/** Rounds up to the next fen: reservations must never fall short of what a fill can cost. */
export const ceilFen = (value: Dec): Dec => value.toDecimalPlaces(2, Dec.ROUND_UP);

/** Money as the API writes it: always two decimals. */
export const money = (value: Dec | string): string => dec(value).toFixed(2);

/** A quantity or price written with no trailing noise beyond the instrument's own precision. */
export const fixed = (value: Dec | string, places: number): string => dec(value).toFixed(places);

/** Number of decimal places a step such as "0.01" or "1" allows. */
export const placesOf = (step: Dec | string): number => dec(step).decimalPlaces();
