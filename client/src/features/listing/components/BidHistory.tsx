import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
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
  // In open mode the newest bid is the best one.
  const leading = listing.mode === 'open' ? newestFirst[0] : undefined;
  return (
    <>
      {sealedOpen ? <p className="notice notice--warn" data-testid="sealed-note">{listing.me ? t('listing.sealedNote') : t('listing.sealedStaffNote')}</p> : null}
      <DataTable
        testId="listing-bids"
        scroll="tall"
        scrollLabel={t('listing.bidsCaption')}
        caption={t('listing.bidsCaption')}
        emptyText={listing.me && !listing.me.registered && !listing.me.isSeller ? t('listing.bidsAfterRegistering') : t('listing.noBids')}
        rows={newestFirst}
        rowKey={(b) => b.id}
        rowProps={(b) => ({ 'data-bid-id': b.id, 'data-mine': b.mine ? 'true' : 'false', className: b === leading ? 'row--leading' : undefined })}
        columns={[
          { id: 'time', header: t('listing.bidTime'), className: 'mono', cell: (b) => formatTime(b.at, i18n.language) },
          {
            id: 'bidder',
            header: t('listing.bidder'),
            cell: (b) => (
              <>
                {b.bidder ? `${b.bidder.name}（${t('listing.bidderNo', { no: b.bidderNo })}）` : t('listing.bidderNo', { no: b.bidderNo })}
                {b.mine ? <span className="tag tag--mine">{t('listing.mine')}</span> : null}
              </>
            ),
          },
          { id: 'price', header: t('listing.bidPrice'), align: 'number', cell: (b) => formatDecimal(b.price, pp) },
          listing.mode === 'sealed' && { id: 'quantity', header: t('listing.bidQuantity'), align: 'number', cell: (b) => formatDecimal(b.quantity, quantityPlaces(instrument, listing.unit)) },
        ]}
      />
    </>
  );
}
