import type { Instrument } from '../api/types.ts';
import { decimalPlaces } from './decimal.ts';
import { formatQuantity } from './number.ts';

export function instrumentName(instrument: Pick<Instrument, 'nameZh' | 'name' | 'symbol'>, lang: string): string {
  return (lang.startsWith('zh') ? instrument.nameZh : instrument.name) || instrument.symbol;
}

/** Quantity decimals follow the lot size (0.01 亩 → 2, 1 t → 0). */
export function quantityPlaces(instrument: Pick<Instrument, 'lotSize'> | undefined, unit?: string): number {
  if (instrument) return decimalPlaces(instrument.lotSize);
  return unit === '亩' || unit === 'mu' ? 2 : 0;
}

export function pricePlaces(instrument: Pick<Instrument, 'tickSize'> | undefined): number {
  return Math.max(2, instrument ? decimalPlaces(instrument.tickSize) : 2);
}

/** A quantity of an instrument with its unit, to the lot size's places; bare when the instrument is not known. */
export function formatInstrumentQuantity(value: string, instrument: Pick<Instrument, 'lotSize' | 'unit'> | undefined, lang: string): string {
  return formatQuantity(value, instrument?.unit ?? '', lang, quantityPlaces(instrument));
}
