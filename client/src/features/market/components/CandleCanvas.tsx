import { useEffect, useRef } from 'react';
import {
  CandlestickSeries,
  HistogramSeries,
  createChart,
  type IChartApi,
  type ISeriesApi,
} from 'lightweight-charts';
import type { Candle } from '../api/get-candles.ts';
import { toPlotNumber } from '../../../shared/format/decimal.ts';
import { beijingAxisTime, timeChartOptions } from '../../../shared/charts/time-chart-options.ts';

const UP = '#c62828'; // 涨: red, as on Chinese exchanges
const DOWN = '#1b7f3b'; // 跌: green

/** Candlesticks with volume bars beneath: the intraday chart and the public daily history share it. */
export function CandleCanvas({ candles, places, timeVisible = true }: { candles: Candle[]; places: number; timeVisible?: boolean }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const candleSeries = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const volumeSeries = useRef<ISeriesApi<'Histogram'> | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const c = createChart(container.current, timeChartOptions(places, timeVisible));
    candleSeries.current = c.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      borderUpColor: UP,
      borderDownColor: DOWN,
      wickUpColor: UP,
      wickDownColor: DOWN,
    });
    volumeSeries.current = c.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' } });
    c.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    candleSeries.current.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.25 } });
    chart.current = c;
    return () => {
      c.remove();
      chart.current = null;
      candleSeries.current = null;
      volumeSeries.current = null;
    };
  }, [places, timeVisible]);

  useEffect(() => {
    const time = beijingAxisTime;
    candleSeries.current?.setData(
      candles.map((k) => ({
        time: time(k.time),
        open: toPlotNumber(k.open),
        high: toPlotNumber(k.high),
        low: toPlotNumber(k.low),
        close: toPlotNumber(k.close),
      })),
    );
    volumeSeries.current?.setData(
      candles.map((k) => ({
        time: time(k.time),
        value: toPlotNumber(k.volume),
        color: toPlotNumber(k.close) >= toPlotNumber(k.open) ? 'rgba(198,40,40,0.35)' : 'rgba(27,127,59,0.35)',
      })),
    );
    chart.current?.timeScale().fitContent();
  }, [candles, places, timeVisible]);

  return <div ref={container} className="price-chart__canvas" />;
}
