import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { useListings } from '../api/get-listings.ts';
import { useListingLive } from '../api/listing-live.ts';
import { useNow } from '../../../shared/hooks/use-now.ts';
import { ListingTable } from './ListingTable.tsx';

/** The seller's own listing auctions, open and closed, live. */
export function SellerListings({ instruments, participantId }: { instruments: readonly Instrument[]; participantId: string | null }) {
  const { t } = useTranslation();
  const listings = useListings('all');
  const now = useNow();
  const own = (listings.data ?? []).filter((l) => participantId !== null && l.seller.id === participantId);
  useListingLive([...new Set(own.map((l) => l.symbol))]);
  return (
    <>
      <ErrorNotice error={listings.error} />
      <ListingTable listings={own} instruments={instruments} now={now} caption={t('listing.sellerListingsCaption')} emptyText={t('listing.noOwnListings')} testId="seller-auctions" />
    </>
  );
}
