import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Link } from '../../../shared/router/hash-router.tsx';
import { useBreakGlassLog } from '../api/listing-oversight.ts';

/** Every look a regulator took at sealed bids before the close: who, when, why, on which listing. */
export function BreakGlassLog() {
  const { t, i18n } = useTranslation();
  const log = useBreakGlassLog();
  const rows = log.data ?? [];
  return (
    <>
      <p className="small muted">{t('operator.breakGlass.intro')}</p>
      <ErrorNotice error={log.error} />
      <table className="table table--compact" data-testid="break-glass-log">
        <caption className="visually-hidden">{t('operator.breakGlass.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('operator.breakGlass.at')}</th>
            <th scope="col">{t('operator.breakGlass.regulator')}</th>
            <th scope="col">{t('operator.breakGlass.listing')}</th>
            <th scope="col">{t('operator.breakGlass.reason')}</th>
            <th scope="col">{t('operator.breakGlass.state')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted center">{t('operator.breakGlass.none')}</td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.id} data-listing-id={r.listingId}>
                <td>{new Date(r.at).toLocaleString(i18n.language)}</td>
                <td className="mono">{r.regulator}</td>
                <td>
                  <Link to={`/listings/${r.listingId}`}>{r.title}</Link> <span className="mono small">{r.symbol}</span>
                </td>
                <td>{r.reason}</td>
                <td>{r.stillSealed ? t('operator.breakGlass.stillSealed') : t('operator.breakGlass.closed')}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </>
  );
}
