import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { SideLabel } from '../../../shared/components/StatusBadge.tsx';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatDecimal, formatTime } from '../../../shared/format/number.ts';
import type { StreamEvent } from '../api/stream-events.ts';

export function LiveStreamTable({ events, instruments }: { events: readonly StreamEvent[]; instruments: readonly Instrument[] }) {
  const { t, i18n } = useTranslation();
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  const statusText = (e: StreamEvent) => {
    if (!e.status) return '';
    if (e.kind === 'order') return t(`orderStatus.${e.status}`, { defaultValue: e.status });
    if (e.kind === 'settlement') return t(`settlementStatus.${e.status}`, { defaultValue: e.status });
    if (e.kind === 'halt') return t(`status.${e.status}`, { defaultValue: e.status });
    if (e.kind === 'alert') return t(`regulator.severities.${e.status}`, { defaultValue: e.status });
    return e.status;
  };
  return (
    <div tabIndex={0} className="scroll-box scroll-box--tall" aria-live="off">
      <table className="table table--compact" data-testid="regulator-stream">
        <caption className="visually-hidden">{t('regulator.streamCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('instrument.time')}</th>
            <th scope="col">{t('regulator.event')}</th>
            <th scope="col">{t('operator.instrument')}</th>
            <th scope="col">{t('instrument.direction')}</th>
            <th scope="col" className="num">{t('instrument.price')}</th>
            <th scope="col" className="num">{t('instrument.quantity')}</th>
            <th scope="col">{t('regulator.participant')}</th>
            <th scope="col">{t('regulator.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {events.length === 0 ? (
            <tr><td colSpan={8} className="muted center">{t('app.noData')}</td></tr>
          ) : (
            events.map((e) => {
              const inst = bySymbol.get(e.symbol);
              return (
                <tr key={e.key} className={`stream-row stream-row--${e.kind}`} data-kind={e.kind} data-symbol={e.symbol}>
                  <td className="mono small">{formatTime(e.at, i18n.language)}</td>
                  <td><span className={`tag tag--${e.kind}`}>{t(`regulator.eventTypes.${e.kind}`)}</span> {statusText(e)}</td>
                  <td className="mono">{e.symbol}</td>
                  <td>{e.side ? <SideLabel side={e.side} /> : ''}</td>
                  <td className="num">{e.price ? formatDecimal(e.price, pricePlaces(inst)) : ''}</td>
                  <td className="num">{e.quantity ? formatDecimal(e.quantity, quantityPlaces(inst)) : ''}</td>
                  <td className="small">{e.participant ?? ''}</td>
                  <td className="small">{e.detail ?? ''}</td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
