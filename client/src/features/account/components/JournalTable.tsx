import { useTranslation } from 'react-i18next';
import type { Instrument, LedgerPosting } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { dec } from '../../../shared/format/decimal.ts';
import { formatInstrumentQuantity } from '../../../shared/format/instrument.ts';
import { formatCny, formatDateTime } from '../../../shared/format/number.ts';

interface JournalTableProps {
  postings: readonly LedgerPosting[] | undefined;
  instruments: readonly Instrument[];
  loading?: boolean;
}

export function JournalTable({ postings, instruments, loading }: JournalTableProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  const amount = (p: LedgerPosting) => {
    const sign = dec(p.amount).greaterThan(0) ? '+' : '';
    if (p.asset === 'CNY') return `${sign}${formatCny(p.amount)}`;
    return `${sign}${formatInstrumentQuantity(p.amount, bySymbol.get(p.asset), lang).trim()}`;
  };
  return (
    <DataTable
      testId="journal"
      scroll="tall"
      caption={t('account.journalCaption')}
      rows={postings}
      loading={loading}
      rowKey={(p) => p.id}
      columns={[
        { id: 'time', header: t('instrument.time'), cell: (p) => formatDateTime(p.createdAt, lang), className: 'mono small' },
        { id: 'kind', header: t('account.kind'), cell: (p) => t(`journalKinds.${p.kind}`, { defaultValue: p.kind }) },
        { id: 'asset', header: t('account.asset'), cell: (p) => p.asset, className: 'mono' },
        { id: 'amount', header: t('account.amount'), align: 'number', cell: amount, className: (p) => (dec(p.amount).isNegative() ? 'trend--down' : 'trend--up') },
        { id: 'reference', header: t('account.reference'), cell: (p) => p.reference, className: 'small' },
      ]}
    />
  );
}
