import { useTranslation } from 'react-i18next';
import type { AccountTrade, Instrument } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { SettlementBadge, SideLabel } from '../../../shared/components/StatusBadge.tsx';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatDecimal, formatTime } from '../../../shared/format/number.ts';

export function OwnFills({ fills, instrument, loading }: { fills: readonly AccountTrade[] | undefined; instrument: Instrument; loading?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <DataTable
      testId="own-fills"
      scroll="box"
      caption={t('fills.caption')}
      emptyText={t('fills.none')}
      rows={fills}
      loading={loading}
      rowKey={(f) => `${f.tradeId}-${f.side}`}
      rowProps={(f) => ({ 'data-trade-id': f.tradeId })}
      columns={[
        { id: 'time', header: t('instrument.time'), cell: (f) => formatTime(f.executedAt, i18n.language), className: 'mono' },
        { id: 'side', header: t('instrument.direction'), cell: (f) => <SideLabel side={f.side} /> },
        { id: 'price', header: t('instrument.price'), align: 'number', cell: (f) => formatDecimal(f.price, pricePlaces(instrument)) },
        { id: 'quantity', header: t('instrument.quantity'), align: 'number', cell: (f) => formatDecimal(f.quantity, quantityPlaces(instrument)) },
        { id: 'amount', header: t('fills.amount'), align: 'number', cell: (f) => formatCny(f.amount) },
        { id: 'fee', header: t('fills.fee'), align: 'number', cell: (f) => formatCny(f.fee) },
        { id: 'settlement', header: t('fills.settlement'), cell: (f) => <SettlementBadge status={f.settlementStatus} /> },
      ]}
    />
  );
}
