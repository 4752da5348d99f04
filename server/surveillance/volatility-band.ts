import { dec, type Dec } from '../shared/decimal.ts';
import { percentOf } from './rules/figures.ts';

/**
 * The dynamic band: how far (in percent, signed) a trade moved from the price before it, if that
 * is beyond `bandPct`; undefined while it stays inside. The band is inclusive.
 */
export function bandBreach(previousPrice: string, price: string, bandPct: string): Dec | undefined {
  const previous = dec(previousPrice);
  if (previous.lte(0)) return undefined;
  const move = percentOf(dec(price).sub(previous), previous);
  return move.abs().gt(dec(bandPct)) ? move : undefined;
}
