import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { SideLabel } from '../../../shared/components/StatusBadge.tsx';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatDecimal, formatTime } from '../../../shared/format/number.ts';
import { useTrades } from '../api/get-trades.ts';

export function TradeTape({ instrument }: { instrument: Instrument }) {
  const { t, i18n } = useTranslation();
  const trades = useTrades(instrument.symbol);
  const list = trades.data ?? [];
  return (
    <div tabIndex={0} className="scroll-box">
      <table className="table table--compact" data-testid="trade-tape">
        <caption className="visually-hidden">{t('instrument.tapeCaption', { symbol: instrument.symbol })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('instrument.time')}</th>
            <th scope="col" className="num">{t('instrument.price')}</th>
            <th scope="col" className="num">{t('instrument.quantity')}</th>
            <th scope="col">{t('instrument.direction')}</th>
          </tr>
        </thead>
        <tbody>
          {list.length === 0 ? (
            <tr><td colSpan={4} className="muted center">{t('market.noTrades')}</td></tr>
          ) : (
            list.map((tr) => (
              <tr key={String(tr.id)} data-trade-id={String(tr.id)}>
                <td className="mono">{formatTime(tr.executedAt, i18n.language)}</td>
                <td className={`num trend--${tr.aggressorSide === 'buy' ? 'up' : 'down'}`}>{formatDecimal(tr.price, pricePlaces(instrument))}</td>
                <td className="num">{formatDecimal(tr.quantity, quantityPlaces(instrument))}</td>
                <td>
                  <SideLabel side={tr.aggressorSide} />
                  {tr.venue && tr.venue !== 'book' ? <span className="venue-tag" data-venue={tr.venue}>{t(`instrument.venues.${tr.venue}`)}</span> : null}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
