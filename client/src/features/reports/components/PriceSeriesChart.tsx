import { useEffect, useRef } from 'react';
import { LineSeries, createChart, type IChartApi, type ISeriesApi } from 'lightweight-charts';
import type { PricePoint } from '../../../../../contract/reports.ts';
import { beijingAxisTime, timeChartOptions } from '../../../shared/charts/time-chart-options.ts';
import { toPlotNumber } from '../../../shared/format/decimal.ts';

const VWAP = '#0a3d6b';
const REFERENCE = '#c9822b';

const lineOf = (points: PricePoint[], pick: (p: PricePoint) => string | null) =>
  points.flatMap((p) => {
    const value = pick(p);
    return value === null ? [] : [{ time: beijingAxisTime(Date.parse(`${p.day}T00:00:00+08:00`) / 1000), value: toPlotNumber(value) }];
  });

/** One instrument's daily continuous-market VWAP beside the reference price the sessions set. */
export function PriceSeriesChart({ points, label }: { points: PricePoint[]; label: string }) {
  const container = useRef<HTMLElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const vwap = useRef<ISeriesApi<'Line'> | null>(null);
  const reference = useRef<ISeriesApi<'Line'> | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const c = createChart(container.current, timeChartOptions(2, false));
    vwap.current = c.addSeries(LineSeries, { color: VWAP, lineWidth: 2 });
    reference.current = c.addSeries(LineSeries, { color: REFERENCE, lineWidth: 1, lineStyle: 2 });
    chart.current = c;
    return () => {
      c.remove();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    vwap.current?.setData(lineOf(points, (p) => p.vwap));
    reference.current?.setData(lineOf(points, (p) => p.reference));
    chart.current?.timeScale().fitContent();
  }, [points]);

  // A figure, not an image: the chart library puts its attribution link inside.
  return <figure ref={container} className="report-chart report-chart--line" aria-label={label} data-testid="report-price-chart" />;
}
