import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { toPlotNumber } from '../../../shared/format/decimal.ts';

// Bars and pies come from ECharts (tree-shaken to these two charts and the canvas renderer);
// price lines over time stay with lightweight-charts like every other price chart. No HTML
// tooltip: it writes inline styles the CSP refuses, and the tables beside each chart carry
// every figure for reading and for screen readers.
echarts.use([BarChart, PieChart, GridComponent, LegendComponent, CanvasRenderer]);

export interface CategoryDatum {
  name: string;
  /** A decimal string; only the chart's geometry turns it into a float. */
  value: string;
}

const COLORS = ['#0a3d6b', '#1f7a4d', '#c9822b', '#6b4fa0', '#2b8cbe', '#b23b3b'];

function optionFor(kind: 'bar' | 'pie', data: CategoryDatum[], format: (value: string) => string): echarts.EChartsCoreOption {
  const text = { fontFamily: '-apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', fontSize: 11 };
  if (kind === 'pie') {
    return {
      color: COLORS,
      textStyle: text,
      legend: { bottom: 0, textStyle: text },
      series: [{ type: 'pie', radius: ['35%', '65%'], top: -20, label: { formatter: '{b}\n{d}%' }, data: data.map((d) => ({ name: d.name, value: toPlotNumber(d.value) })) }],
    };
  }
  return {
    color: COLORS,
    textStyle: text,
    grid: { left: 8, right: 110, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { show: false }, splitLine: { lineStyle: { color: '#eef1f5' } } },
    yAxis: { type: 'category', inverse: true, data: data.map((d) => d.name) },
    series: [
      {
        type: 'bar',
        data: data.map((d) => toPlotNumber(d.value)),
        label: { show: true, position: 'right', formatter: (p: { dataIndex: number }) => format(data[p.dataIndex]!.value) },
        barMaxWidth: 26,
      },
    ],
  };
}

/** A bar or pie chart of named values, drawn into a canvas; labelled as one image for screen readers. */
export function CategoryChart({ kind, data, label, format, testId }: { kind: 'bar' | 'pie'; data: CategoryDatum[]; label: string; format: (value: string) => string; testId?: string }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const c = echarts.init(container.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(container.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(optionFor(kind, data, format), { notMerge: true });
  }, [kind, data, format]);

  return <div ref={container} className={`report-chart report-chart--${kind}`} role="img" aria-label={label} data-testid={testId} />;
}
