import { toPlotNumber } from '../format/decimal.ts';

interface SparklineProps {
  /** Prices as decimal strings, oldest first. */
  values: readonly string[];
  label: string;
  width?: number;
  height?: number;
  trend?: 'up' | 'down' | 'flat';
}

/** A small SVG price line; numbers are used only for pixel positions. */
export function Sparkline({ values, label, width = 120, height = 36, trend = 'flat' }: SparklineProps) {
  const nums = values.map((v) => toPlotNumber(v));
  if (nums.length < 2) {
    return (
      <svg className="sparkline" width={width} height={height} role="img" aria-label={label}>
        <line x1={0} y1={height / 2} x2={width} y2={height / 2} className="sparkline__flat" />
      </svg>
    );
  }
  const min = Math.min(...nums);
  const max = Math.max(...nums);
  const span = max - min || 1;
  const pad = 3;
  const points = nums
    .map((n, i) => {
      const x = (i / (nums.length - 1)) * width;
      const y = pad + (1 - (n - min) / span) * (height - pad * 2);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  return (
    <svg className={`sparkline sparkline--${trend}`} width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <polyline points={points} fill="none" strokeWidth={1.5} />
    </svg>
  );
}
