import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useInstruments } from '../../../shared/api/reference-data.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { LiveBadge } from '../../../shared/components/LiveBadge.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { useListings, type ListingFilter } from '../api/get-listings.ts';
import { useListingLive } from '../api/listing-live.ts';
import { useNow } from '../../../shared/hooks/use-now.ts';
import { phaseAt } from '../model/listing-rules.ts';
import { ListingTable } from './ListingTable.tsx';

const FILTERS: ListingFilter[] = ['active', 'closed'];

/** 挂牌竞价 board: open and upcoming listings (or closed ones), live. */
export function ListingBoard() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<ListingFilter>('active');
  const instruments = useInstruments();
  const listings = useListings(filter);
  const live = useListingLive((instruments.data ?? []).map((i) => i.symbol));
  const now = useNow();
  const list = listings.data ?? [];
  const bidding = list.filter((l) => phaseAt(l, now) === 'bidding');
  const others = list.filter((l) => phaseAt(l, now) !== 'bidding');

  return (
    <div className="page">
      <div className="page__header">
        <h1 className="page__title">{t('listing.boardHeading')}</h1>
        <span className="muted small">{t('listing.boardHint')}</span>
        <LiveBadge status={live} />
      </div>
      <div className="segmented listing-filter" role="group" aria-label={t('listing.filter')}>
        {FILTERS.map((f) => (
          <button key={f} type="button" className="segmented__item" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {t(`listing.filters.${f}`)}
          </button>
        ))}
      </div>
      {listings.isPending ? <Loading /> : null}
      <ErrorNotice error={listings.error} />
      {filter === 'active' ? (
        <>
          <Panel title={t('listing.biddingNow')}>
            <ListingTable listings={bidding} instruments={instruments.data ?? []} now={now} caption={t('listing.biddingNowCaption')} emptyText={t('listing.noneBidding')} testId="listing-board-bidding" />
          </Panel>
          <Panel title={t('listing.upcoming')}>
            <ListingTable listings={others} instruments={instruments.data ?? []} now={now} caption={t('listing.upcomingCaption')} emptyText={t('listing.noneUpcoming')} testId="listing-board-upcoming" />
          </Panel>
        </>
      ) : (
        <Panel title={t('listing.closedHeading')}>
          <ListingTable listings={list} instruments={instruments.data ?? []} now={now} caption={t('listing.closedCaption')} emptyText={t('listing.noneClosed')} testId="listing-board-closed" />
        </Panel>
      )}
    </div>
  );
}
