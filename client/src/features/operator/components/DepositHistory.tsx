import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { formatCny, formatDateTime } from '../../../shared/format/number.ts';
import { DEPOSIT_HISTORY_LIMIT, useDepositHistory } from '../api/deposits.ts';

/** The latest confirmed deposits, searchable by participant or bank reference, so a colleague can check them. */
export function DepositHistory() {
  const { t, i18n } = useTranslation();
  const history = useDepositHistory();
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const rows = history.data?.filter((d) => !needle || d.participant.toLowerCase().includes(needle) || d.reference.toLowerCase().includes(needle));
  return (
    <>
      <Field label={t('depositHistory.search')}>
        <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('depositHistory.searchHint')} />
      </Field>
      <ErrorNotice error={history.error} />
      <DataTable
        testId="deposit-history"
        scroll="box"
        caption={t('depositHistory.caption', { count: DEPOSIT_HISTORY_LIMIT })}
        emptyText={needle ? t('depositHistory.noMatch') : t('depositHistory.none')}
        rows={rows}
        loading={history.isPending}
        rowKey={(d) => d.transferId}
        rowProps={(d) => ({ 'data-reference': d.reference })}
        columns={[
          { id: 'at', header: t('depositHistory.at'), className: 'mono small', cell: (d) => formatDateTime(d.confirmedAt, i18n.language) },
          { id: 'participant', header: t('operator.participant'), cell: (d) => d.participant },
          { id: 'amount', header: t('depositHistory.amount'), align: 'number', cell: (d) => formatCny(d.amount) },
          { id: 'reference', header: t('depositHistory.reference'), className: 'mono small', cell: (d) => d.reference },
          { id: 'by', header: t('depositHistory.by'), className: 'small', cell: (d) => d.confirmedBy ?? '—' },
        ]}
      />
    </>
  );
}
