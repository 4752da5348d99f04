import type { DailyBar, PublicInstrumentToday } from '../../contract/public-market.ts';
import { dec, fixed, money } from '../shared/decimal.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import type { DailyBarRow, TodayRow } from './public-market-queries.ts';

const priceOrNull = (value: string | null, spec: InstrumentSpec) => (value === null ? null : fixed(value, spec.pricePlaces));

export function todayOf(row: TodayRow, spec: InstrumentSpec): PublicInstrumentToday {
  const change = row.last !== null && row.previous_close !== null ? dec(row.last).minus(row.previous_close) : null;
  return {
    symbol: spec.symbol,
    nameZh: spec.row.name_zh,
    name: spec.row.name,
    indicatorType: spec.row.indicator_type,
    unit: spec.row.unit,
    last: priceOrNull(row.last, spec),
    previousClose: priceOrNull(row.previous_close, spec),
    change: change === null ? null : change.toFixed(spec.pricePlaces),
    changePct: change === null || dec(row.previous_close!).isZero() ? null : change.div(row.previous_close!).mul(100).toFixed(2),
    volume: fixed(row.volume, spec.qtyPlaces),
    turnover: money(row.turnover),
    trades: Number(row.trades),
    offBookVolume: fixed(row.off_book_volume, spec.qtyPlaces),
  };
}

export function dailyBarOf(row: DailyBarRow, spec: InstrumentSpec): DailyBar {
  return {
    day: row.day,
    open: priceOrNull(row.open, spec),
    high: priceOrNull(row.high, spec),
    low: priceOrNull(row.low, spec),
    close: priceOrNull(row.close, spec),
    vwap: row.vwap === null ? null : money(row.vwap),
    volume: fixed(row.volume, spec.qtyPlaces),
    turnover: money(row.turnover),
    trades: Number(row.trades),
    offBookVolume: fixed(row.off_book_volume, spec.qtyPlaces),
    offBookTurnover: money(row.off_book_turnover),
  };
}
