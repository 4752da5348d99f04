import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatDateTime, formatDecimal, formatQuantity } from '../../../shared/format/number.ts';
import type { Listing } from '../api/types.ts';

/** The result at the close: clearing price, what was sold and to which bidder numbers, or why it failed. */
export function ListingResult({ listing, instrument }: { listing: Listing; instrument: Instrument | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const pp = pricePlaces(instrument);
  return (
    <div data-testid="listing-result" data-status={listing.status}>
      <dl className="kv">
        <div>
          <dt>{t('listing.resultStatus')}</dt>
          <dd>{t(`listing.phases.${listing.status}`)}</dd>
        </div>
        <div>
          <dt>{t('listing.clearingPrice')}</dt>
          <dd data-testid="clearing-price">{listing.clearingPrice ? formatDecimal(listing.clearingPrice, pp) : '—'}</dd>
        </div>
        <div>
          <dt>{t('listing.soldQuantity')}</dt>
          <dd>{listing.soldQuantity ? formatQuantity(listing.soldQuantity, listing.unit, lang, quantityPlaces(instrument, listing.unit)) : '—'}</dd>
        </div>
        <div>
          <dt>{t('listing.closedAt')}</dt>
          <dd>{formatDateTime(listing.closedAt, lang)}</dd>
        </div>
      </dl>
      {listing.resultReason ? <p className="muted">{t('listing.resultReason', { reason: listing.resultReason })}</p> : null}
      {listing.awards.length > 0 ? (
        <table className="table table--compact">
          <caption className="visually-hidden">{t('listing.awardsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('listing.bidder')}</th>
              <th scope="col" className="num">{t('listing.bidPrice')}</th>
              <th scope="col" className="num">{t('listing.bidQuantity')}</th>
              <th scope="col">{t('listing.tradeId')}</th>
            </tr>
          </thead>
          <tbody>
            {listing.awards.map((a) => (
              <tr key={`${a.bidderNo}-${a.tradeId ?? ''}`}>
                <td>{t('listing.bidderNo', { no: a.bidderNo })}</td>
                <td className="num">{formatDecimal(a.price, pp)}</td>
                <td className="num">{formatDecimal(a.quantity, quantityPlaces(instrument, listing.unit))}</td>
                <td className="mono">{a.tradeId ?? t(`listing.awardStatus.${a.status}`, { defaultValue: a.status })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
