import { useTranslation } from 'react-i18next';
import { useAccount, useInstrument } from '../../../shared/api/reference-data.ts';
import { useSession } from '../../../shared/auth/session.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { LiveBadge } from '../../../shared/components/LiveBadge.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { SaleHeader, SaleScreenFallback, SaleWindowTerms } from '../../../shared/components/SaleScreen.tsx';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatDateTime, formatDecimal, formatQuantity } from '../../../shared/format/number.ts';
import { Link } from '../../../shared/router/hash-router.tsx';
import { useListing } from '../api/get-listing.ts';
import { useListingBids } from '../api/get-listing-bids.ts';
import { useListingLive } from '../api/listing-live.ts';
import { useNow } from '../../../shared/hooks/use-now.ts';
import { minimumNextBid, phaseAt } from '../model/listing-rules.ts';
import { BidderPanel } from './BidderPanel.tsx';
import { BreakGlassPanel } from './BreakGlassPanel.tsx';
import { BidHistory } from './BidHistory.tsx';
import { ListingCountdown } from './ListingCountdown.tsx';
import { ListingPhaseBadge } from './ListingPhaseBadge.tsx';
import { ListingResult } from './ListingResult.tsx';
import { ListingRulesPanel } from './ListingRulesPanel.tsx';

/** The bidding screen of one listing: its terms, the live best bid and countdown, one's own bids. */
export function ListingScreen({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const session = useSession();
  const isParticipant = session?.user.role === 'participant';
  const listing = useListing(id);
  const bids = useListingBids(id);
  const account = useAccount(isParticipant);
  const l = listing.data;
  const { instrument } = useInstrument(l?.symbol ?? '');
  const live = useListingLive(l ? [l.symbol] : []);
  const now = useNow();

  if (!l) return <SaleScreenFallback pending={listing.isPending} error={listing.error} back="/listings" backLabel={t('listing.back')} />;
  const phase = phaseAt(l, now);
  const pp = pricePlaces(instrument);
  const qty = (v: string) => formatQuantity(v, l.unit, lang, quantityPlaces(instrument, l.unit));
  const sealedOpen = l.mode === 'sealed' && l.status === 'open';

  return (
    <div className="page" data-testid="listing-screen" data-listing-id={l.id}>
      <div className="page__crumbs">
        <Link to="/listings">{t('nav.listings')}</Link> <span aria-hidden="true">›</span> <span>{t('listing.numbered', { id: l.id })}</span>
        <LiveBadge status={live} />
      </div>
      <SaleHeader
        title={l.title}
        subtitle={<>{l.seller.name} · <span className="mono">{l.symbol}</span> {l.instrumentName} · {t(`listing.modes.${l.mode}`)}</>}
        phase={<ListingPhaseBadge phase={phase} />}
        bestLabel={l.status === 'open' ? t('listing.bestBid') : t('listing.clearingPrice')}
        bestTestId="listing-best-price"
        best={
          l.status !== 'open'
            ? l.clearingPrice ? formatCny(l.clearingPrice) : '—'
            : sealedOpen ? t('listing.sealedHidden') : l.bestPrice ? formatCny(l.bestPrice) : t('listing.noBidYet')
        }
        bestBy={l.status === 'open' && l.bestBidderNo !== null ? <span className="small" data-testid="best-bidder">{t('listing.bidderNo', { no: l.bestBidderNo })}</span> : null}
        countdown={l.status === 'open' ? <ListingCountdown listing={l} now={now} showExtensions /> : null}
      />
      <ErrorNotice error={listing.error} />
      <div className="grid grid--wide-narrow">
        <div className="page">
          <Panel title={t('listing.terms')}>
            <dl className="kv kv--3" data-testid="listing-terms">
              <div><dt>{t('listing.quantity')}</dt><dd>{qty(l.quantity)}</dd></div>
              <div><dt>{t('listing.startPrice')}</dt><dd>{formatCny(l.startPrice)}</dd></div>
              <div><dt>{t('listing.guidancePrice')}</dt><dd>{formatCny(l.guidancePrice)}</dd></div>
              <div><dt>{t('listing.increment')}</dt><dd>{l.bidIncrement ? formatCny(l.bidIncrement) : '—'}</dd></div>
              <div><dt>{t('listing.marginPct')}</dt><dd>{formatDecimal(l.marginPct, 0)}% · {formatCny(l.margin)}</dd></div>
              <div>
                <dt>{t('listing.minimumBid')}</dt>
                <dd data-testid="listing-minimum">{l.status === 'open' ? `¥${formatDecimal(minimumNextBid(l), pp)}` : '—'}</dd>
              </div>
              <SaleWindowTerms sale={l} registrationLabel={t('listing.registrationWindow')} biddingLabel={t('listing.biddingWindow')} />
              <div>
                <dt>{t('listing.antiSniping')}</dt>
                <dd>
                  {l.mode === 'open' && l.antiSnipingSeconds > 0 ? t('listing.antiSnipingRule', { minutes: Math.ceil(l.antiSnipingSeconds / 60) }) : '—'}
                  {l.extensions > 0 ? <div className="small">{t('listing.scheduledClose', { at: formatDateTime(l.scheduledCloseAt, lang) })}</div> : null}
                </dd>
              </div>
              <div><dt>{t('listing.bidders')}</dt><dd data-testid="listing-bidders">{l.bidders ?? t('listing.sealedCount')}</dd></div>
              <div><dt>{t('listing.bidCount')}</dt><dd data-testid="listing-bid-count">{l.bids ?? t('listing.sealedCount')}</dd></div>
              <div><dt>{t('listing.seller')}</dt><dd>{l.seller.name}</dd></div>
            </dl>
            {l.description ? <p className="small">{l.description}</p> : null}
          </Panel>
          <Panel title={t('listing.bidsHeading')}>
            <ErrorNotice error={bids.error} />
            <BidHistory listing={l} bids={bids.data ?? []} instrument={instrument} />
          </Panel>
        </div>
        <div className="page">
          <Panel title={t('listing.myParticipation')}>
            <BidderPanel listing={l} instrument={instrument} account={account.data} now={now} />
          </Panel>
          <Panel title={t('listingRules.heading')}>
            <ListingRulesPanel listing={l} now={now} />
          </Panel>
          {session?.user.role === 'regulator' && l.sealed ? (
            <Panel title={t('listing.breakGlass.heading')}>
              <BreakGlassPanel listing={l} instrument={instrument} />
            </Panel>
          ) : null}
          {l.status !== 'open' ? (
            <Panel title={t('listing.resultHeading')}>
              <ListingResult listing={l} instrument={instrument} />
            </Panel>
          ) : null}
        </div>
      </div>
    </div>
  );
}
