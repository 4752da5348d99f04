import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Link } from '../../../shared/router/hash-router.tsx';
import { useBreakGlassLog } from '../api/listing-oversight.ts';

/** Every look a regulator took at sealed bids before the close: who, when, why, on which listing. */
export function BreakGlassLog() {
  const { t, i18n } = useTranslation();
  const log = useBreakGlassLog();
  return (
    <>
      <p className="small muted">{t('operator.breakGlass.intro')}</p>
      <ErrorNotice error={log.error} />
      <DataTable
        testId="break-glass-log"
        caption={t('operator.breakGlass.caption')}
        emptyText={t('operator.breakGlass.none')}
        rows={log.data}
        loading={log.isPending}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ 'data-listing-id': r.listingId })}
        columns={[
          { id: 'at', header: t('operator.breakGlass.at'), cell: (r) => new Date(r.at).toLocaleString(i18n.language) },
          { id: 'regulator', header: t('operator.breakGlass.regulator'), className: 'mono', cell: (r) => r.regulator },
          { id: 'listing', header: t('operator.breakGlass.listing'), cell: (r) => <><Link to={`/listings/${r.listingId}`}>{r.title}</Link> <span className="mono small">{r.symbol}</span></> },
          { id: 'reason', header: t('operator.breakGlass.reason'), cell: (r) => r.reason },
          { id: 'state', header: t('operator.breakGlass.state'), cell: (r) => (r.stillSealed ? t('operator.breakGlass.stillSealed') : t('operator.breakGlass.closed')) },
        ]}
      />
    </>
  );
}
