import { Dec, type Dec as DecT } from '../../shared/decimal.ts';

/** part as a percentage of whole (whole > 0). */
export const percentOf = (part: DecT, whole: DecT): DecT => part.mul(100).div(whole);

/** A percentage as alerts write it: two decimals, half up. */
export const percentText = (value: DecT): string => value.toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2);
