import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { SideLabel } from '../../../shared/components/StatusBadge.tsx';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatDecimal, formatTime } from '../../../shared/format/number.ts';
import { alertText } from '../model/alert-text.ts';
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
    <DataTable
      testId="regulator-stream"
      scroll="tall"
      quiet
      caption={t('regulator.streamCaption')}
      rows={events}
      rowKey={(e) => e.key}
      rowProps={(e) => ({ className: `stream-row stream-row--${e.kind}`, 'data-kind': e.kind, 'data-symbol': e.symbol })}
      columns={[
        { id: 'time', header: t('instrument.time'), className: 'mono small', cell: (e) => formatTime(e.at, i18n.language) },
        { id: 'event', header: t('regulator.event'), cell: (e) => <><span className={`tag tag--${e.kind}`}>{t(`regulator.eventTypes.${e.kind}`)}</span> {statusText(e)}</> },
        { id: 'symbol', header: t('operator.instrument'), className: 'mono', cell: (e) => e.symbol },
        { id: 'side', header: t('instrument.direction'), cell: (e) => (e.side ? <SideLabel side={e.side} /> : '') },
        { id: 'price', header: t('instrument.price'), align: 'number', cell: (e) => (e.price ? formatDecimal(e.price, pricePlaces(bySymbol.get(e.symbol))) : '') },
        { id: 'quantity', header: t('instrument.quantity'), align: 'number', cell: (e) => (e.quantity ? formatDecimal(e.quantity, quantityPlaces(bySymbol.get(e.symbol))) : '') },
        { id: 'participant', header: t('regulator.participant'), className: 'small', cell: (e) => e.participant ?? '' },
        { id: 'detail', header: t('regulator.detail'), className: 'small', cell: (e) => (e.alert ? alertText(t, e.alert) : e.detail ?? '') },
      ]}
    />
  );
}
