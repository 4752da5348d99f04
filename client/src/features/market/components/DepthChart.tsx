import { useTranslation } from 'react-i18next';
import type { BookLevel, Instrument } from '../../../shared/api/types.ts';
import { dec, toPlotNumber } from '../../../shared/format/decimal.ts';
import { pricePlaces } from '../../../shared/format/instrument.ts';
import { formatDecimal } from '../../../shared/format/number.ts';
import { useBook } from '../api/get-book.ts';

const W = 480;
const H = 180;
const PAD = { l: 8, r: 8, t: 10, b: 22 };

/** Cumulative quantities summed with Decimal; only the final pixel positions are numbers. */
function cumulative(levels: readonly BookLevel[]): { price: string; total: string }[] {
  let total = dec('0');
  return levels.map((l) => {
    total = total.plus(l.quantity);
    return { price: l.price, total: total.toString() };
  });
}

export function DepthChart({ instrument }: { instrument: Instrument }) {
  const { t } = useTranslation();
  const book = useBook(instrument.symbol);
  const bids = cumulative(book.data?.bids ?? []);
  const asks = cumulative(book.data?.asks ?? []);
  const label = t('instrument.depthChartLabel', { symbol: instrument.symbol });
  if (bids.length === 0 && asks.length === 0) {
    return <p className="muted" role="img" aria-label={label}>{t('instrument.emptyBook')}</p>;
  }
  const prices = [...bids, ...asks].map((p) => toPlotNumber(p.price));
  // A margin on both sides so the outermost levels show as steps, not as lines on the frame.
  const rawMin = Math.min(...prices);
  const rawMax = Math.max(...prices);
  const margin = (rawMax - rawMin || rawMax * 0.02 || 1) * 0.06;
  const minP = rawMin - margin;
  const maxP = rawMax + margin;
  const spanP = maxP - minP;
  const maxQ = Math.max(...[...bids, ...asks].map((p) => toPlotNumber(p.total)), 1);
  const xn = (price: number) => PAD.l + ((price - minP) / spanP) * (W - PAD.l - PAD.r);
  const x = (price: string) => xn(toPlotNumber(price));
  const y = (qty: string) => PAD.t + (1 - toPlotNumber(qty) / maxQ) * (H - PAD.t - PAD.b);
  const base = H - PAD.b;

  // Bids step down to the left from the best bid; asks step up to the right from the best ask.
  const stepPath = (points: { price: string; total: string }[], edgeX: number): string => {
    if (points.length === 0) return '';
    let d = `M ${x(points[0]!.price)} ${base}`;
    let prevY = base;
    for (const p of points) {
      d += ` L ${x(p.price)} ${prevY} L ${x(p.price)} ${y(p.total)}`;
      prevY = y(p.total);
    }
    d += ` L ${edgeX} ${prevY} L ${edgeX} ${base} Z`;
    return d;
  };
  const pp = pricePlaces(instrument);

  return (
    <svg className="depth-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="none">
      <line x1={PAD.l} y1={base} x2={W - PAD.r} y2={base} className="depth-chart__axis" />
      <path d={stepPath(bids, xn(minP))} className="depth-chart__bids" />
      <path d={stepPath(asks, xn(maxP))} className="depth-chart__asks" />
      <text x={PAD.l} y={H - 6} className="depth-chart__tick">{formatDecimal(bids.at(-1)?.price ?? asks[0]!.price, pp)}</text>
      <text x={W - PAD.r} y={H - 6} textAnchor="end" className="depth-chart__tick">{formatDecimal(asks.at(-1)?.price ?? bids[0]!.price, pp)}</text>
    </svg>
  );
}
