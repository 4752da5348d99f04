import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { PublicSalePanel } from './PublicSalePanel.tsx';
import { instrumentName } from '../../../shared/format/instrument.ts';
import { formatCny, formatDateTime, formatQuantity, placesOf } from '../../../shared/format/number.ts';
import { usePublicListings } from '../api/public-market.ts';
import { Link } from '../../../shared/router/hash-router.tsx';

/** Sales the public may follow: announcements of listings still open and the latest results. */
export function PublicSales() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const sales = usePublicListings();
  if (sales.isPending) return <Loading />;
  if (!sales.data) return <ErrorNotice error={sales.error} />;
  const { announcements, results } = sales.data;
  return (
    <>
      <PublicSalePanel
        title={t('public.announcements')}
        testId="public-announcements"
        emptyOutside
        emptyText={t('public.noAnnouncements')}
        rows={announcements}
        rowTestId="announcement"
        columns={[
          { id: 'title', header: t('listing.title'), rowHeader: true, cell: (a) => <><Link to={`/notice/${a.id}`}>{a.title}</Link><span className="muted"> · {a.seller}</span></> },
          { id: 'instrument', header: t('listing.instrument'), cell: (a) => instrumentName(a, lang) },
          { id: 'mode', header: t('listing.mode'), cell: (a) => t(`listing.modes.${a.mode}`) },
          { id: 'phase', header: t('listing.phase'), cell: (a) => t(`listing.phases.${a.phase}`) },
          { id: 'quantity', header: t('listing.quantity'), align: 'number', cell: (a) => formatQuantity(a.quantity, a.unit, lang, placesOf(a.quantity)) },
          { id: 'startPrice', header: t('listing.startPrice'), align: 'number', cell: (a) => formatCny(a.startPrice) },
          {
            id: 'windows',
            header: t('listing.windows'),
            cell: (a) => (
              <>
                {t('public.window', { from: formatDateTime(a.registrationOpensAt, lang), to: formatDateTime(a.registrationClosesAt, lang) })}
                <br />
                {t('public.biddingWindow', { from: formatDateTime(a.biddingOpensAt, lang), to: formatDateTime(a.biddingClosesAt, lang) })}
              </>
            ),
          },
        ]}
      />
      <PublicSalePanel
        title={t('public.results')}
        testId="public-results"
        emptyOutside
        emptyText={t('public.noResults')}
        rows={results}
        rowTestId="result"
        columns={[
          { id: 'title', header: t('listing.title'), rowHeader: true, cell: (r) => <><Link to={`/notice/${r.id}`}>{r.title}</Link><span className="muted"> · {r.seller}</span></> },
          { id: 'instrument', header: t('listing.instrument'), cell: (r) => instrumentName(r, lang) },
          { id: 'outcome', header: t('public.outcome'), cell: (r) => t(`listing.phases.${r.outcome}`) },
          { id: 'sold', header: t('public.soldQuantity'), align: 'number', cell: (r) => formatQuantity(r.soldQuantity, r.unit, lang, placesOf(r.soldQuantity)) },
          { id: 'price', header: t('public.price'), align: 'number', cell: (r) => (r.price === null ? '—' : formatCny(r.price)) },
          { id: 'winners', header: t('public.winners'), cell: (r) => (r.winners.length > 0 ? r.winners.join('、') : '—') },
          { id: 'closed', header: t('public.closedAt'), cell: (r) => formatDateTime(r.closedAt, lang) },
          { id: 'onBoard', header: t('public.onBoardUntil'), cell: (r) => formatDateTime(r.onBoardUntil, lang) },
        ]}
      />
    </>
  );
}
