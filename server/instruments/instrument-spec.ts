import { AppError, unprocessable } from '../errors.ts';
import { Dec, dec, fixed, placesOf, type Dec as DecT } from '../shared/decimal.ts';

export type IndicatorType = 'farmland' | 'land_linkage' | 'wetland' | 'carbon_sink';
export type InstrumentStatus = 'trading' | 'auction' | 'halted';

export interface InstrumentRow {
  symbol: string;
  indicator_type: IndicatorType;
  sub_type: string | null;
  name_zh: string;
  name: string;
  unit: string;
  tick_size: string;
  lot_size: string;
  min_quantity: string;
  price_band_pct: string;
  reference_price: string;
  status: InstrumentStatus;
  halt_reason: string | null;
  seller_kinds: 'government' | 'any';
  buyer_fee_bps: number;
  seller_fee_bps: number;
  vintage: number | null;
  display_order: number;
}

/**
 * An instrument's trading rules in the two forms the platform needs: decimals for the API and
 * the ledger, integer ticks and lots for the matching engine.
 */
export class InstrumentSpec {
  readonly tick: DecT;
  readonly lot: DecT;
  readonly pricePlaces: number;
  readonly qtyPlaces: number;
  readonly minLots: number;
  readonly referenceTicks: number;
  readonly bandBps: number;
  // Books, tapes and order views format integers of ticks and lots many thousand times a second.
  private readonly tickScale: StepScale;
  private readonly lotScale: StepScale;

  constructor(readonly row: InstrumentRow) {
    this.tick = dec(row.tick_size);
    this.lot = dec(row.lot_size);
    this.pricePlaces = Math.max(2, placesOf(this.tick));
    this.qtyPlaces = placesOf(this.lot);
    this.minLots = dec(row.min_quantity).div(this.lot).ceil().toNumber();
    this.referenceTicks = dec(row.reference_price).div(this.tick).round().toNumber();
    this.bandBps = dec(row.price_band_pct).mul(100).round().toNumber();
    this.tickScale = new StepScale(this.tick);
    this.lotScale = new StepScale(this.lot);
  }

  get symbol(): string {
    return this.row.symbol;
  }

  /** Lowest and highest accepted limit price, in ticks (the band is inclusive). */
  bandTicks(): { low: number; high: number } {
    const ref = this.referenceTicks;
    const width = Math.floor((ref * this.bandBps) / 10_000);
    return { low: Math.max(1, ref - width), high: ref + width };
  }

  priceToTicks(price: string): number {
    const ticks = dec(price).div(this.tick);
    if (!ticks.isInteger() || ticks.lte(0)) {
      throw unprocessable('PRICE_NOT_ON_TICK', `price ${price} is not a positive multiple of the tick size ${this.row.tick_size}`);
    }
    if (ticks.gt(Number.MAX_SAFE_INTEGER)) throw unprocessable('PRICE_OUT_OF_BAND', `price ${price} is outside the price band`);
    const t = ticks.toNumber();
    const { low, high } = this.bandTicks();
    if (t < low || t > high) {
      throw unprocessable(
        'PRICE_OUT_OF_BAND',
        `price ${price} is outside the band ${this.ticksToPrice(low)}–${this.ticksToPrice(high)} (±${this.row.price_band_pct}% of ${this.row.reference_price})`,
        { low: this.ticksToPrice(low), high: this.ticksToPrice(high), reference: this.ticksToPrice(this.referenceTicks), bandPct: dec(this.row.price_band_pct).toString() },
      );
    }
    return t;
  }

  quantityToLots(quantity: string): number {
    const lots = dec(quantity).div(this.lot);
    if (!lots.isInteger() || lots.lte(0)) {
      throw unprocessable('QUANTITY_NOT_ON_LOT', `quantity ${quantity} is not a positive multiple of the lot size ${this.row.lot_size} ${this.row.unit}`);
    }
    if (lots.gt(1e12)) throw unprocessable('QUANTITY_TOO_LARGE', `quantity ${quantity} is too large`);
    const n = lots.toNumber();
    if (n < this.minLots) {
      throw unprocessable('BELOW_MIN_QUANTITY', `quantity ${quantity} is below the minimum ${this.row.min_quantity} ${this.row.unit}`);
    }
    return n;
  }

  ticksToPrice(ticks: number): string {
    return this.tickScale.format(ticks, this.pricePlaces) ?? fixed(this.tick.mul(ticks), this.pricePlaces);
  }

  lotsToQuantity(lots: number): string {
    return this.lotScale.format(lots, this.qtyPlaces) ?? fixed(this.lot.mul(lots), this.qtyPlaces);
  }

  lotsDecimal(lots: number): DecT {
    return this.lot.mul(lots);
  }

  priceDecimal(ticks: number): DecT {
    return this.tick.mul(ticks);
  }

  ensureTradable(): void {
    if (this.row.status === 'halted') {
      const reason = this.row.halt_reason ? { reason: this.row.halt_reason } : undefined;
      throw new AppError(409, 'INSTRUMENT_HALTED', `${this.symbol} is halted${this.row.halt_reason ? `: ${this.row.halt_reason}` : ''}; only cancels are accepted`, reason);
    }
  }
}

/**
 * A step size as an integer times a power of ten (0.05 = 5 × 10⁻²), so a count of steps formats
 * exactly with integer arithmetic and string slicing, without a Decimal per value.
 */
export class StepScale {
  private readonly mantissa: number;
  private readonly exponent: number;

  constructor(step: DecT) {
    this.exponent = step.decimalPlaces();
    this.mantissa = step.mul(new Dec(10).pow(this.exponent)).toNumber();
  }

  /** `count` steps with `places` decimals, or null where integers would not be exact. */
  format(count: number, places: number): string | null {
    const scaled = count * this.mantissa;
    if (!Number.isSafeInteger(scaled) || places < this.exponent) return null;
    const digits = String(Math.abs(scaled)).padStart(this.exponent + 1, '0');
    const whole = digits.slice(0, digits.length - this.exponent);
    const fraction = digits.slice(digits.length - this.exponent).padEnd(places, '0');
    return `${scaled < 0 ? '-' : ''}${whole}${places > 0 ? `.${fraction}` : ''}`;
  }
}

export const percentString = (value: DecT) => value.toDecimalPlaces(2, Dec.ROUND_HALF_UP).toString();

/** Pairs rows with their instrument's spec, leaving out rows of instruments no longer listed. */
export function withSpecs<T extends { symbol: string }>(rows: T[], specOf: (symbol: string) => InstrumentSpec | undefined): Array<{ row: T; spec: InstrumentSpec }> {
  return rows.flatMap((row) => {
    const spec = specOf(row.symbol);
    return spec ? [{ row, spec }] : [];
  });
}
