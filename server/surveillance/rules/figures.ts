import { Dec, dec, type Dec as DecT } from '../../shared/decimal.ts';

/** part as a percentage of whole (whole > 0). */
export const percentOf = (part: DecT, whole: DecT): DecT => part.mul(100).div(whole);

/** A percentage as alerts write it: two decimals, half up. */
export const percentText = (value: DecT): string => value.toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2);

/** A computed quantity written with as many decimals as `like` ("3.00" → "1.50"). */
export const inScaleOf = (value: DecT, like: string): string => dec(value).toFixed(like.split('.')[1]?.length ?? 0);
