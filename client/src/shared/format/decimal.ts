import Decimal from 'decimal.js';

// A local Decimal configuration (Decimal.set is global and other code may share the module).
// Always build from strings: new Dec('0.1'), never new Dec(0.1).
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

export function dec(value: string | number | null | undefined): Dec {
  if (value === null || value === undefined || value === '') return new Dec(0);
  return new Dec(typeof value === 'number' ? String(value) : value);
}

/** True when the string is a plain non-negative decimal such as "12.50". */
export function isDecimalString(value: string): boolean {
  return /^\d+(\.\d+)?$/.test(value.trim());
}

export function decimalPlaces(step: string | undefined): number {
  if (!step) return 2;
  return dec(step).decimalPlaces();
}

/** For drawing only (pixel coordinates); never used for money or quantities. */
export function toPlotNumber(value: string | Dec): number {
  return (typeof value === 'string' ? dec(value) : value).toNumber();
}
