import { useTranslation } from 'react-i18next';
import type { PublicAnnouncement, PublicResult } from '../../../../../contract/public-listings.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { instrumentName } from '../../../shared/format/instrument.ts';
import { formatCny, formatDateTime, formatQuantity } from '../../../shared/format/number.ts';
import { usePublicListings } from '../api/public-market.ts';

const placesOf = (value: string) => value.split('.')[1]?.length ?? 0;

function Announcement({ a }: { a: PublicAnnouncement }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <tr data-testid={`announcement-${a.id}`}>
      <th scope="row">
        {a.title}
        <span className="muted"> · {a.seller}</span>
      </th>
      <td>{instrumentName(a, lang)}</td>
      <td>{t(`listing.modes.${a.mode}`)}</td>
      <td>{t(`listing.phases.${a.phase}`)}</td>
      <td className="num">{formatQuantity(a.quantity, a.unit, lang, placesOf(a.quantity))}</td>
      <td className="num">{formatCny(a.startPrice)}</td>
      <td>
        {t('public.window', { from: formatDateTime(a.registrationOpensAt, lang), to: formatDateTime(a.registrationClosesAt, lang) })}
        <br />
        {t('public.biddingWindow', { from: formatDateTime(a.biddingOpensAt, lang), to: formatDateTime(a.biddingClosesAt, lang) })}
      </td>
    </tr>
  );
}

function Result({ r }: { r: PublicResult }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <tr data-testid={`result-${r.id}`}>
      <th scope="row">
        {r.title}
        <span className="muted"> · {r.seller}</span>
      </th>
      <td>{instrumentName(r, lang)}</td>
      <td>{t(`listing.phases.${r.outcome}`)}</td>
      <td className="num">{formatQuantity(r.soldQuantity, r.unit, lang, placesOf(r.soldQuantity))}</td>
      <td className="num">{r.price === null ? '—' : formatCny(r.price)}</td>
      <td>{r.winners.length > 0 ? r.winners.join('、') : '—'}</td>
      <td>{formatDateTime(r.closedAt, lang)}</td>
    </tr>
  );
}

/** Sales the public may follow: announcements of listings still open and the latest results. */
export function PublicSales() {
  const { t } = useTranslation();
  const sales = usePublicListings();
  if (sales.isPending) return <Loading />;
  if (!sales.data) return <ErrorNotice error={sales.error} />;
  const { announcements, results } = sales.data;
  return (
    <>
      <Panel title={t('public.announcements')} testId="public-announcements">
        {announcements.length === 0 ? (
          <p className="muted">{t('public.noAnnouncements')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('listing.title')}</th>
                <th scope="col">{t('listing.instrument')}</th>
                <th scope="col">{t('listing.mode')}</th>
                <th scope="col">{t('listing.phase')}</th>
                <th scope="col" className="num">{t('listing.quantity')}</th>
                <th scope="col" className="num">{t('listing.startPrice')}</th>
                <th scope="col">{t('listing.windows')}</th>
              </tr>
            </thead>
            <tbody>
              {announcements.map((a) => (
                <Announcement key={a.id} a={a} />
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      <Panel title={t('public.results')} testId="public-results">
        {results.length === 0 ? (
          <p className="muted">{t('public.noResults')}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('listing.title')}</th>
                <th scope="col">{t('listing.instrument')}</th>
                <th scope="col">{t('public.outcome')}</th>
                <th scope="col" className="num">{t('public.soldQuantity')}</th>
                <th scope="col" className="num">{t('public.price')}</th>
                <th scope="col">{t('public.winners')}</th>
                <th scope="col">{t('public.closedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <Result key={r.id} r={r} />
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </>
  );
}
