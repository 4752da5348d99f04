import { dec, type Dec } from '../shared/decimal.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';

/**
 * The prices a block trade may be agreed at: within ±pct of the reference price, inclusive,
 * rounded inward to the tick (the national carbon market allows ±30% for 大宗协议).
 */
export function blockBand(spec: InstrumentSpec, pct: number): { low: Dec; high: Dec } {
  const reference = spec.priceDecimal(spec.referenceTicks);
  const width = reference.mul(pct).div(100);
  return {
    low: reference.sub(width).div(spec.tick).ceil().mul(spec.tick),
    high: reference.add(width).div(spec.tick).floor().mul(spec.tick),
  };
}

/** Price in ticks and quantity in lots of values already validated against the instrument. */
export const ticksOf = (spec: InstrumentSpec, price: string): number => dec(price).div(spec.tick).toNumber();
export const lotsOf = (spec: InstrumentSpec, quantity: string): number => dec(quantity).div(spec.lot).toNumber();
