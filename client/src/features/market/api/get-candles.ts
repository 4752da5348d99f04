import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { CandleBar, CandleInterval } from '../../../../../contract/instruments.ts';

export type { CandleInterval };

/** One bar as the chart draws it: time in seconds since the epoch (UTC). */
export interface Candle {
  time: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

/** The chart's bars from the server's, oldest first; the chart needs strictly increasing times. */
export function chartCandles(bars: readonly CandleBar[]): Candle[] {
  const out = bars
    .map((b) => ({ time: Math.floor(Date.parse(b.time) / 1000), open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume }))
    .sort((a, b) => a.time - b.time);
  return out.filter((c, i) => i === 0 || c.time !== out[i - 1]!.time);
}

export const getCandles = async (symbol: string, interval: CandleInterval): Promise<Candle[]> =>
  chartCandles(await apiRequest<CandleBar[]>(`/api/instruments/${encodeURIComponent(symbol)}/candles`, { query: { interval } }));

export function useCandles(symbol: string, interval: CandleInterval) {
  return useQuery({ queryKey: queryKeys.candles(symbol, interval), queryFn: () => getCandles(symbol, interval) });
}
