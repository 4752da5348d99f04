import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { PublicSalePanel } from './PublicSalePanel.tsx';
import { instrumentName } from '../../../shared/format/instrument.ts';
import { formatCny, formatDateTime, formatQuantity, placesOf } from '../../../shared/format/number.ts';
import { usePublicDemandListings } from '../api/public-market.ts';

/** Demand listings (需求挂牌) the public may follow: what buyers ask for, and who sold at what price. */
export function PublicDemandSales() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const demand = usePublicDemandListings();
  if (!demand.data) return demand.error ? <ErrorNotice error={demand.error} /> : null;
  const { announcements, results } = demand.data;
  const tag = <span className="badge">{t('demand.tag')}</span>;
  return (
    <>
      <PublicSalePanel
        title={t('demand.publicAnnouncements')}
        testId="public-demand-announcements"
        emptyText={t('demand.noPublicAnnouncements')}
        rows={announcements}
        rowTestId="demand-announcement"
        columns={[
            { id: 'title', header: t('demand.title'), rowHeader: true, cell: (a) => <>{tag} {a.title}<span className="muted"> · {a.buyer}</span></> },
            { id: 'instrument', header: t('demand.instrument'), cell: (a) => instrumentName(a, lang) },
            { id: 'phase', header: t('demand.phase'), cell: (a) => t(`demand.phases.${a.phase}`) },
            { id: 'quantity', header: t('demand.quantity'), align: 'number', cell: (a) => formatQuantity(a.quantity, a.unit, lang, placesOf(a.quantity)) },
            { id: 'start', header: t('demand.startPrice'), align: 'number', cell: (a) => formatCny(a.startPrice) },
            { id: 'floor', header: t('demand.floorPrice'), align: 'number', cell: (a) => formatCny(a.floorPrice) },
            { id: 'lowest', header: t('demand.lowest'), align: 'number', cell: (a) => (a.lowestPrice ? formatCny(a.lowestPrice) : '—') },
            { id: 'close', header: t('demand.biddingClosesAt'), cell: (a) => formatDateTime(a.biddingClosesAt, lang) },
        ]}
      />
      <PublicSalePanel
        title={t('demand.publicResults')}
        testId="public-demand-results"
        emptyText={t('demand.noPublicResults')}
        rows={results}
        rowTestId="demand-result"
        columns={[
            { id: 'title', header: t('demand.title'), rowHeader: true, cell: (r) => <>{tag} {r.title}<span className="muted"> · {r.buyer}</span></> },
            { id: 'instrument', header: t('demand.instrument'), cell: (r) => instrumentName(r, lang) },
            { id: 'outcome', header: t('demand.outcome'), cell: (r) => t(`demand.phases.${r.outcome}`) },
            { id: 'quantity', header: t('demand.quantity'), align: 'number', cell: (r) => formatQuantity(r.quantity, r.unit, lang, placesOf(r.quantity)) },
            { id: 'price', header: t('demand.clearingPrice'), align: 'number', cell: (r) => (r.price === null ? '—' : formatCny(r.price)) },
            { id: 'seller', header: t('demand.winner'), cell: (r) => r.seller ?? '—' },
            { id: 'closed', header: t('public.closedAt'), cell: (r) => formatDateTime(r.closedAt, lang) },
        ]}
      />
    </>
  );
}
