import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import type { Candle } from '../../../shared/api/types.ts';

export type CandleInterval = '1m' | '1h' | '1d';

type Raw = Record<string, unknown> | unknown[];

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return '0';
}

function toSeconds(v: unknown): number | null {
  if (typeof v === 'number') return v > 1e11 ? Math.floor(v / 1000) : v;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return toSeconds(Number(v));
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
  }
  return null;
}

/** The contract only says "OHLCV": accept the common shapes and normalise to Candle. */
export function normaliseCandles(body: unknown): Candle[] {
  const list: unknown = Array.isArray(body) ? body : (body as { candles?: unknown })?.candles;
  if (!Array.isArray(list)) return [];
  const out: Candle[] = [];
  for (const item of list as Raw[]) {
    if (Array.isArray(item)) {
      const time = toSeconds(item[0]);
      if (time === null) continue;
      out.push({ time, open: str(item[1]), high: str(item[2]), low: str(item[3]), close: str(item[4]), volume: str(item[5]) });
      continue;
    }
    const r = item;
    const time = toSeconds(r.time ?? r.t ?? r.bucket ?? r.openTime ?? r.start ?? r.timestamp ?? r.ts);
    if (time === null) continue;
    out.push({
      time,
      open: str(r.open ?? r.o),
      high: str(r.high ?? r.h),
      low: str(r.low ?? r.l),
      close: str(r.close ?? r.c),
      volume: str(r.volume ?? r.v ?? r.quantity),
    });
  }
  out.sort((a, b) => a.time - b.time);
  // the chart library requires strictly increasing times
  return out.filter((c, i) => i === 0 || c.time !== out[i - 1]!.time);
}

export const getCandles = async (symbol: string, interval: CandleInterval): Promise<Candle[]> =>
  normaliseCandles(await apiRequest<unknown>(`/api/instruments/${encodeURIComponent(symbol)}/candles`, { query: { interval } }));

export function useCandles(symbol: string, interval: CandleInterval) {
  return useQuery({ queryKey: queryKeys.candles(symbol, interval), queryFn: () => getCandles(symbol, interval) });
}
