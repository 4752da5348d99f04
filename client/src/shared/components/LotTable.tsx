import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorLot, Instrument } from '../api/types.ts';
import { formatInstrumentQuantity } from '../format/instrument.ts';
import { DataTable } from './DataTable.tsx';
import { formatDateTime } from '../format/number.ts';

const ATTRIBUTE_LABELS: Record<string, string> = {
  landType: 'operator.landType',
  qualityGrade: 'operator.qualityGrade',
  methodology: 'operator.methodology',
  serialFrom: 'operator.serialFrom',
  serialTo: 'operator.serialTo',
};

export function LotAttributes({ attributes }: { attributes: IndicatorLot['attributes'] }) {
  const { t } = useTranslation();
  const entries = Object.entries(attributes ?? {});
  if (entries.length === 0) return <>—</>;
  return (
    <>
      {entries.map(([k, v], i) => (
        <span key={k}>
          {i > 0 ? '；' : ''}
          {ATTRIBUTE_LABELS[k] ? t(ATTRIBUTE_LABELS[k]) : k}：{typeof v === 'object' ? JSON.stringify(v) : String(v)}
        </span>
      ))}
    </>
  );
}

interface LotTableProps {
  lots: readonly IndicatorLot[] | undefined;
  /** True until the first answer arrives. */
  loading?: boolean;
  instruments: readonly Instrument[];
  caption: string;
  emptyText?: string;
  /** An extra action cell per lot, e.g. "list for sale". */
  renderAction?: (lot: IndicatorLot) => ReactNode;
  actionHeading?: string;
  testId?: string;
}

export function LotTable({ lots, loading, instruments, caption, emptyText, renderAction, actionHeading, testId }: LotTableProps) {
  const { t, i18n } = useTranslation();
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  return (
    <DataTable
      testId={testId}
      caption={caption}
      emptyText={emptyText ?? t('account.noLots')}
      rows={lots}
      loading={loading}
      rowKey={(lot) => lot.id}
      rowProps={(lot) => ({ 'data-lot-id': lot.id })}
      columns={[
        { id: 'id', header: t('lot.id'), className: 'mono', cell: (lot) => lot.id },
        { id: 'symbol', header: t('operator.instrument'), className: 'mono', cell: (lot) => lot.symbol },
        {
          id: 'quantity',
          header: t('instrument.quantity'),
          align: 'number',
          cell: (lot) => formatInstrumentQuantity(lot.quantity, bySymbol.get(lot.symbol), i18n.language),
        },
        { id: 'region', header: t('lot.region'), cell: (lot) => lot.region },
        { id: 'source', header: t('lot.sourceProject'), cell: (lot) => lot.sourceProject },
        { id: 'verification', header: t('lot.verificationRef'), className: 'mono', cell: (lot) => lot.verificationRef },
        { id: 'vintage', header: t('lot.vintage'), cell: (lot) => lot.vintage ?? '—' },
        { id: 'attributes', header: t('lot.attributes'), className: 'small', cell: (lot) => <LotAttributes attributes={lot.attributes} /> },
        { id: 'registered', header: t('lot.registeredAt'), className: 'mono small', cell: (lot) => formatDateTime(lot.createdAt, i18n.language) },
        renderAction && { id: 'action', header: actionHeading, cell: renderAction },
      ]}
    />
  );
}
