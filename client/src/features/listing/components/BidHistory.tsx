import { useTranslation } from 'react-i18next';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatDecimal, formatTime } from '../../../shared/format/number.ts';
import type { Instrument } from '../../../shared/api/types.ts';
import type { Listing, ListingBid } from '../api/types.ts';

interface BidHistoryProps {
  listing: Listing;
  bids: readonly ListingBid[];
  instrument: Instrument | undefined;
}

/** Bids newest first, bidders by number (names for the regulator); sealed bids stay hidden until the close. */
export function BidHistory({ listing, bids, instrument }: BidHistoryProps) {
  const { t, i18n } = useTranslation();
  const sealedOpen = listing.mode === 'sealed' && listing.status === 'open';
  const newestFirst = [...bids].reverse();
  const pp = pricePlaces(instrument);
  return (
    <>
      {sealedOpen ? <p className="notice notice--warn" data-testid="sealed-note">{listing.me ? t('listing.sealedNote') : t('listing.sealedStaffNote')}</p> : null}
      <div className="scroll-box scroll-box--tall" tabIndex={0} role="region" aria-label={t('listing.bidsCaption')}>
        <table className="table table--compact" data-testid="listing-bids">
          <caption className="visually-hidden">{t('listing.bidsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('listing.bidTime')}</th>
              <th scope="col">{t('listing.bidder')}</th>
              <th scope="col" className="num">{t('listing.bidPrice')}</th>
              {listing.mode === 'sealed' ? <th scope="col" className="num">{t('listing.bidQuantity')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {newestFirst.length === 0 ? (
              <tr>
                <td colSpan={listing.mode === 'sealed' ? 4 : 3} className="muted center">
                  {listing.me && !listing.me.registered && !listing.me.isSeller ? t('listing.bidsAfterRegistering') : t('listing.noBids')}
                </td>
              </tr>
            ) : (
              newestFirst.map((b, index) => (
                <tr key={b.id} data-bid-id={b.id} data-mine={b.mine ? 'true' : 'false'} className={index === 0 && listing.mode === 'open' ? 'row--leading' : undefined}>
                  <td className="mono">{formatTime(b.at, i18n.language)}</td>
                  <td>
                    {b.bidder ? `${b.bidder.name}（${t('listing.bidderNo', { no: b.bidderNo })}）` : t('listing.bidderNo', { no: b.bidderNo })}
                    {b.mine ? <span className="tag tag--mine">{t('listing.mine')}</span> : null}
                  </td>
                  <td className="num">{formatDecimal(b.price, pp)}</td>
                  {listing.mode === 'sealed' ? <td className="num">{formatDecimal(b.quantity, quantityPlaces(instrument, listing.unit))}</td> : null}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
