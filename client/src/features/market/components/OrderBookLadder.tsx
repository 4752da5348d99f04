import { useTranslation } from 'react-i18next';
import type { BookLevel, Instrument } from '../../../shared/api/types.ts';
import { dec } from '../../../shared/format/decimal.ts';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatDecimal } from '../../../shared/format/number.ts';
import { useBook } from '../api/get-book.ts';

interface LadderProps {
  instrument: Instrument;
  /** Clicking a price hands it to the order form. */
  onPickPrice?: (price: string) => void;
}

function barPct(level: BookLevel, max: ReturnType<typeof dec>): number {
  if (max.isZero()) return 0;
  return dec(level.quantity).dividedBy(max).times(100).toDecimalPlaces(1).toNumber();
}

export function OrderBookLadder({ instrument, onPickPrice }: LadderProps) {
  const { t } = useTranslation();
  const book = useBook(instrument.symbol);
  const asks = book.data?.asks ?? [];
  const bids = book.data?.bids ?? [];
  const max = [...asks, ...bids].reduce((m, l) => (dec(l.quantity).greaterThan(m) ? dec(l.quantity) : m), dec('0'));
  const pp = pricePlaces(instrument);
  const qp = quantityPlaces(instrument);
  const bestAsk = asks[0];
  const bestBid = bids[0];
  const spread = bestAsk && bestBid ? dec(bestAsk.price).minus(bestBid.price) : null;

  const row = (level: BookLevel, side: 'ask' | 'bid') => (
    <tr key={`${side}-${level.price}`} className={`ladder__row ladder__row--${side}`}>
      <td className="num">
        {onPickPrice ? (
          <button type="button" className="link-button price" onClick={() => onPickPrice(level.price)}>
            {formatDecimal(level.price, pp)}
          </button>
        ) : (
          formatDecimal(level.price, pp)
        )}
      </td>
      <td className="num">{formatDecimal(level.quantity, qp)}</td>
      <td className="num">{level.orders}</td>
      <td className="ladder__depth" aria-hidden="true">
        <span className={`ladder__bar ladder__bar--${side}`} style={{ width: `${barPct(level, max)}%` }} />
      </td>
    </tr>
  );

  return (
    <table className="table table--compact ladder" data-testid="order-book">
      <caption className="visually-hidden">{t('instrument.bookCaption', { symbol: instrument.symbol })}</caption>
      <thead>
        <tr>
          <th scope="col" className="num">{t('instrument.price')}</th>
          <th scope="col" className="num">{t('instrument.quantity')}</th>
          <th scope="col" className="num">{t('instrument.orders')}</th>
          <th scope="col"><span className="visually-hidden">{t('instrument.depthBar')}</span></th>
        </tr>
      </thead>
      <tbody aria-label={t('instrument.asks')} data-testid="book-asks">
        {asks.length === 0 ? (
          <tr><td colSpan={4} className="muted center">{t('instrument.asks')} · {t('instrument.emptyBook')}</td></tr>
        ) : (
          [...asks].reverse().map((l) => row(l, 'ask'))
        )}
      </tbody>
      <tbody>
        <tr className="ladder__spread">
          <td colSpan={4}>
            {t('instrument.spread')}: {spread ? formatDecimal(spread, pp) : '—'}
          </td>
        </tr>
      </tbody>
      <tbody aria-label={t('instrument.bids')} data-testid="book-bids">
        {bids.length === 0 ? (
          <tr><td colSpan={4} className="muted center">{t('instrument.bids')} · {t('instrument.emptyBook')}</td></tr>
        ) : (
          bids.map((l) => row(l, 'bid'))
        )}
      </tbody>
    </table>
  );
}
