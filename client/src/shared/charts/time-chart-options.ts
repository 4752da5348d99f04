import type { DeepPartial, TimeChartOptions, UTCTimestamp } from 'lightweight-charts';
import { formatDecimal } from '../format/number.ts';

// What every lightweight-charts price chart shares: the platform's look, prices to the
// instrument's places, and Beijing time on the axis.

// lightweight-charts draws times in UTC; shifting by +8 h shows Beijing time on the axis.
const BEIJING_OFFSET_S = 8 * 3600;

export const beijingAxisTime = (epochSeconds: number) => (epochSeconds + BEIJING_OFFSET_S) as UTCTimestamp;

export function timeChartOptions(places: number, timeVisible: boolean): DeepPartial<TimeChartOptions> {
  return {
    autoSize: true,
    layout: {
      background: { color: '#ffffff' },
      textColor: '#3c4653',
      fontFamily: '-apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
      fontSize: 11,
    },
    grid: { vertLines: { color: '#eef1f5' }, horzLines: { color: '#eef1f5' } },
    rightPriceScale: { borderColor: '#d5dbe3' },
    timeScale: { borderColor: '#d5dbe3', timeVisible, secondsVisible: false },
    localization: { priceFormatter: (p: number) => formatDecimal(p.toFixed(places), places) },
  };
}
