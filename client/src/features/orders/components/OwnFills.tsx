import { useTranslation } from 'react-i18next';
import type { AccountTrade, Instrument } from '../../../shared/api/types.ts';
import { SettlementBadge, SideLabel } from '../../../shared/components/StatusBadge.tsx';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatDecimal, formatTime } from '../../../shared/format/number.ts';

export function OwnFills({ fills, instrument }: { fills: readonly AccountTrade[]; instrument: Instrument }) {
  const { t, i18n } = useTranslation();
  return (
    <div tabIndex={0} className="scroll-box">
      <table className="table table--compact" data-testid="own-fills">
        <caption className="visually-hidden">{t('fills.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('instrument.time')}</th>
            <th scope="col">{t('instrument.direction')}</th>
            <th scope="col" className="num">{t('instrument.price')}</th>
            <th scope="col" className="num">{t('instrument.quantity')}</th>
            <th scope="col" className="num">{t('fills.amount')}</th>
            <th scope="col" className="num">{t('fills.fee')}</th>
            <th scope="col">{t('fills.settlement')}</th>
          </tr>
        </thead>
        <tbody>
          {fills.length === 0 ? (
            <tr><td colSpan={7} className="muted center">{t('fills.none')}</td></tr>
          ) : (
            fills.map((f) => (
              <tr key={`${String(f.tradeId)}-${f.side}`} data-trade-id={String(f.tradeId)}>
                <td className="mono">{formatTime(f.executedAt, i18n.language)}</td>
                <td><SideLabel side={f.side} /></td>
                <td className="num">{formatDecimal(f.price, pricePlaces(instrument))}</td>
                <td className="num">{formatDecimal(f.quantity, quantityPlaces(instrument))}</td>
                <td className="num">{formatCny(f.amount)}</td>
                <td className="num">{formatCny(f.fee)}</td>
                <td><SettlementBadge status={f.settlementStatus} /></td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
