import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorLot } from '../../shared/api/types.ts';
import { useAccount, useInstruments, useOwnLots } from '../../shared/api/reference-data.ts';
import { ErrorNotice } from '../../shared/components/ErrorNotice.tsx';
import { Panel } from '../../shared/components/Panel.tsx';
import { instrumentName } from '../../shared/format/instrument.ts';
import { useBook } from '../../features/market/api/get-book.ts';
import { CreateListingForm } from '../../features/listing/components/CreateListingForm.tsx';
import { ListableLots } from '../../features/listing/components/ListableLots.tsx';
import { SellerListings } from '../../features/listing/components/SellerListings.tsx';
import { useOrders } from '../../features/orders/api/get-orders.ts';
import { OpenOrders } from '../../features/orders/components/OpenOrders.tsx';
import { OrderEntryForm, type OrderPreset } from '../../features/orders/components/OrderEntryForm.tsx';

/**
 * Seller console: verified lots → "list for sale" opens a sell order prefilled from the lot; a
 * listing auction (挂牌竞价) is created from the form below and followed in the seller's listings.
 */
export function SellerRoute() {
  const { t, i18n } = useTranslation();
  const instruments = useInstruments();
  const account = useAccount();
  const lots = useOwnLots();
  const orders = useOrders('all');
  const [listing, setListing] = useState<{ lot: IndicatorLot; preset: OrderPreset } | null>(null);
  const formRef = useRef<HTMLDivElement>(null);
  const list = instruments.data ?? [];
  const instrument = listing ? list.find((i) => i.symbol === listing.lot.symbol) : undefined;
  const book = useBook(listing?.lot.symbol ?? '');
  const sells = (orders.data ?? []).filter((o) => o.side === 'sell');
  const kind = account.data?.participant.kind;
  const formShown = listing !== null && instrument !== undefined;

  // Focus the prefilled price as the form is committed, selected so typing replaces it. A timer
  // here could fire late, after the seller had moved on to the quantity, and steal the keystrokes.
  useEffect(() => {
    const price = formRef.current?.querySelector<HTMLInputElement>('input[name="price"]');
    price?.focus();
    price?.select();
  }, [listing?.preset.nonce, formShown]);

  return (
    <div className="page">
      <div className="page__header">
        <h1 className="page__title">{t('seller.heading')}</h1>
        <span className="muted small">{t('seller.hint')}</span>
      </div>
      <Panel title={t('seller.lotsHeading')}>
        <ErrorNotice error={lots.error} />
        <ListableLots
          lots={lots.data ?? []}
          account={account.data}
          instruments={list}
          onList={(lot, quantity) => {
            const inst = list.find((i) => i.symbol === lot.symbol);
            setListing({ lot, preset: { side: 'sell', quantity, price: inst?.referencePrice ?? '', nonce: Date.now() } });
          }}
        />
      </Panel>
      {formShown ? (
        <div ref={formRef}>
          <Panel title={t('seller.listingFor', { name: instrumentName(instrument, i18n.language), id: listing.lot.id })} testId="listing-form">
            <div className="listing-form">
              <OrderEntryForm
                instrument={instrument}
                account={account.data}
                book={book.data}
                canSell={instrument.sellerKinds !== 'government' || kind === 'government'}
                preset={listing.preset}
                title={t('seller.listingForm')}
              />
            </div>
          </Panel>
        </div>
      ) : null}
      <Panel title={t('listing.createHeading')} testId="create-listing">
        {account.data ? <CreateListingForm key={String(account.data.participant.id)} instruments={list} account={account.data} /> : null}
      </Panel>
      <Panel title={t('listing.sellerListings')}>
        <SellerListings instruments={list} participantId={account.data ? String(account.data.participant.id) : null} />
      </Panel>
      <Panel title={t('seller.listingsHeading')}>
        <ErrorNotice error={orders.error} />
        <OpenOrders
          orders={sells}
          loading={orders.isPending}
          instruments={list}
          caption={t('seller.listingsCaption')}
          emptyText={t('seller.noListings')}
          showSymbol
          testId="listings"
        />
      </Panel>
    </div>
  );
}
