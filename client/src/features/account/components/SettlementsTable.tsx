import { useTranslation } from 'react-i18next';
import type { AccountTrade, Instrument } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { fillRowKey, fillRowProps, useFillColumns } from '../../../shared/components/fill-columns.tsx';
import { formatDateTime } from '../../../shared/format/number.ts';
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
  const fillColumns = useFillColumns((tr) => bySymbol.get(tr.symbol));
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
        rowKey={fillRowKey}
        rowProps={fillRowProps}
        columns={[
          { id: 'trade', header: t('account.tradeId'), cell: (tr) => tr.tradeId, className: 'mono' },
          { id: 'time', header: t('instrument.time'), cell: (tr) => formatDateTime(tr.executedAt, i18n.language), className: 'mono small' },
          { id: 'symbol', header: t('operator.instrument'), cell: (tr) => tr.symbol, className: 'mono' },
          ...fillColumns,
          { id: 'certificate', header: t('account.certificate'), cell: certificate },
        ]}
      />
      <ErrorNotice error={download.error} />
    </>
  );
}
