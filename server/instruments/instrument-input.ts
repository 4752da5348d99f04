import { unprocessable } from '../errors.ts';
import { dec } from '../shared/decimal.ts';
import type { InstrumentCatalog } from './instrument-catalog.ts';
import type { InstrumentSpec } from './instrument-spec.ts';

// A symbol or a price a caller sent, checked against the instrument before anything acts on it:
// refused with the code the client shows (422), never a crash further down.

export function knownSpec(instruments: InstrumentCatalog, symbol: string): InstrumentSpec {
  const spec = instruments.spec(symbol);
  if (!spec) throw unprocessable('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
  return spec;
}

/** Price in ticks, or PRICE_NOT_ON_TICK naming the field the caller sent it in. */
export function ticksOfPrice(spec: InstrumentSpec, price: string, field: string): number {
  const ticks = dec(price).div(spec.tick);
  if (!ticks.isInteger() || ticks.lte(0) || ticks.gt(Number.MAX_SAFE_INTEGER)) {
    throw unprocessable('PRICE_NOT_ON_TICK', `${field} ${price} is not a positive multiple of the tick size ${spec.row.tick_size}`);
  }
  return ticks.toNumber();
}
