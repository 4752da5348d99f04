import { useTranslation } from 'react-i18next';
import type { AccountTrade, Instrument } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { SettlementBadge, SideLabel } from '../../../shared/components/StatusBadge.tsx';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatDateTime, formatDecimal } from '../../../shared/format/number.ts';
import { useDownloadCertificate } from '../api/download-certificate.ts';

interface SettlementsTableProps {
  trades: readonly AccountTrade[] | undefined;
  instruments: readonly Instrument[];
  loading?: boolean;
}

export function SettlementsTable({ trades, instruments, loading }: SettlementsTableProps) {
  const { t, i18n } = useTranslation();
  const download = useDownloadCertificate();
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  const certificate = (tr: AccountTrade) =>
    tr.settlementStatus === 'settled' ? (
      <a
        href={`/api/settlements/${encodeURIComponent(tr.tradeId)}/certificate.pdf`}
        className="link"
        aria-label={t('account.downloadFor', { id: tr.tradeId })}
        onClick={(e) => {
          // The certificate needs the bearer token, so fetch it rather than follow the link.
          e.preventDefault();
          download.mutate(tr.tradeId);
        }}
      >
        {t('account.download')}
      </a>
    ) : (
      <span className="muted small">{t('account.notSettled')}</span>
    );
  return (
    <>
      <DataTable
        testId="settlements"
        scroll="tall"
        caption={t('account.settlementsCaption')}
        emptyText={t('fills.none')}
        rows={trades}
        loading={loading}
        rowKey={(tr) => `${tr.tradeId}-${tr.side}`}
        rowProps={(tr) => ({ 'data-trade-id': tr.tradeId })}
        columns={[
          { id: 'trade', header: t('account.tradeId'), cell: (tr) => tr.tradeId, className: 'mono' },
          { id: 'time', header: t('instrument.time'), cell: (tr) => formatDateTime(tr.executedAt, i18n.language), className: 'mono small' },
          { id: 'symbol', header: t('operator.instrument'), cell: (tr) => tr.symbol, className: 'mono' },
          { id: 'side', header: t('instrument.direction'), cell: (tr) => <SideLabel side={tr.side} /> },
          { id: 'price', header: t('instrument.price'), align: 'number', cell: (tr) => formatDecimal(tr.price, pricePlaces(bySymbol.get(tr.symbol))) },
          { id: 'quantity', header: t('instrument.quantity'), align: 'number', cell: (tr) => formatDecimal(tr.quantity, quantityPlaces(bySymbol.get(tr.symbol))) },
          { id: 'amount', header: t('fills.amount'), align: 'number', cell: (tr) => formatCny(tr.amount) },
          { id: 'fee', header: t('fills.fee'), align: 'number', cell: (tr) => formatCny(tr.fee) },
          { id: 'settlement', header: t('fills.settlement'), cell: (tr) => <SettlementBadge status={tr.settlementStatus} /> },
          { id: 'certificate', header: t('account.certificate'), cell: certificate },
        ]}
      />
      <ErrorNotice error={download.error} />
    </>
  );
}
