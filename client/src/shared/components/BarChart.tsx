import { dec } from '../format/decimal.ts';

export interface BarItem {
  key: string;
  label: string;
  /** Decimal string; bar lengths are scaled with Decimal and only then turned into pixels. */
  value: string;
  display: string;
}

interface BarChartProps {
  items: readonly BarItem[];
  label: string;
  emptyText: string;
}

/** Horizontal bars with visible labels and values; the table-like layout reads well to screen readers. */
export function BarChart({ items, label, emptyText }: BarChartProps) {
  if (items.length === 0) return <p className="muted">{emptyText}</p>;
  const max = items.reduce((m, i) => (dec(i.value).greaterThan(m) ? dec(i.value) : m), dec('0'));
  return (
    <ul className="bar-chart" aria-label={label}>
      {items.map((item) => {
        const pct = max.isZero() ? 0 : dec(item.value).dividedBy(max).times(100).toDecimalPlaces(1).toNumber();
        return (
          <li key={item.key} className="bar-chart__row">
            <span className="bar-chart__label">{item.label}</span>
            <span className="bar-chart__track" aria-hidden="true">
              <span className="bar-chart__bar" style={{ width: `${pct}%` }} />
            </span>
            <span className="bar-chart__value">{item.display}</span>
          </li>
        );
      })}
    </ul>
  );
}
