import { useTranslation } from 'react-i18next';
import type { DemandListing } from '../../../../../contract/demand-listings.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { formatCny, formatQuantity, placesOf } from '../../../shared/format/number.ts';
import { Link } from '../../../shared/router/hash-router.tsx';
import { phaseAt } from '../model/demand-model.ts';

/** Demand listings as rows: what is wanted, from whom, and where the price stands. */
export function DemandTable({ rows, now, caption, loading, testId }: { rows: DemandListing[] | undefined; now: number; caption: string; loading: boolean; testId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <DataTable
      caption={caption}
      rows={rows}
      loading={loading}
      emptyText={t('demand.none')}
      rowKey={(l) => l.id}
      rowProps={(l) => ({ 'data-testid': `demand-row-${l.id}` })}
      testId={testId}
      columns={[
        { id: 'title', header: t('demand.title'), rowHeader: true, cell: (l) => <Link to={`/demand/${l.id}`}>{l.title}</Link> },
        { id: 'buyer', header: t('demand.buyer'), cell: (l) => l.buyer.name },
        { id: 'instrument', header: t('demand.instrument'), cell: (l) => l.instrumentName },
        { id: 'quantity', header: t('demand.quantity'), align: 'number', cell: (l) => formatQuantity(l.quantity, l.unit, lang, placesOf(l.quantity)) },
        { id: 'start', header: t('demand.startPrice'), align: 'number', cell: (l) => formatCny(l.startPrice) },
        { id: 'lowest', header: t('demand.lowest'), align: 'number', cell: (l) => (l.status === 'open' ? (l.lowestPrice ? formatCny(l.lowestPrice) : '—') : l.clearingPrice ? formatCny(l.clearingPrice) : '—') },
        { id: 'phase', header: t('demand.phase'), cell: (l) => t(`demand.phases.${phaseAt(l, now)}`) },
      ]}
    />
  );
}
