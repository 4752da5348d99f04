import { useTranslation } from 'react-i18next';
import type { DemandBid, DemandListing } from '../../../../../contract/demand-listings.ts';
import { useAccount } from '../../../shared/api/reference-data.ts';
import type { Account } from '../../../shared/api/types.ts';
import { useSession } from '../../../shared/auth/session.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { SaleHeader, SaleScreenFallback, SaleWindowTerms } from '../../../shared/components/SaleScreen.tsx';
import { formatCny, formatDateTime, formatDecimal, formatQuantity, placesOf } from '../../../shared/format/number.ts';
import { Link } from '../../../shared/router/hash-router.tsx';
import { useDemandBids } from '../api/get-demand-bids.ts';
import { useDemandListing } from '../api/get-demand-listing.ts';
import { useNow } from '../../../shared/hooks/use-now.ts';
import { phaseAt } from '../model/demand-model.ts';
import { DemandCountdown } from './DemandCountdown.tsx';
import { SellerPanel } from './SellerPanel.tsx';

/** One demand listing: its terms, the current lowest offer and countdown, the offers, the result. */
export function DemandScreen({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const session = useSession();
  const participant = session?.user.role === 'participant';
  const listing = useDemandListing(id);
  const l = listing.data;
  const bids = useDemandBids(id, l?.status === 'open');
  const account = useAccount(participant);
  const now = useNow();

  if (!l) return <SaleScreenFallback pending={listing.isPending} error={listing.error} back="/demand" backLabel={t('demand.back')} />;
  const phase = phaseAt(l, now);
  const qty = (v: string) => formatQuantity(v, l.unit, lang, placesOf(l.quantity));
  return (
    <div className="page" data-testid="demand-screen" data-demand-id={l.id}>
      <div className="page__crumbs">
        <Link to="/demand">{t('nav.demand')}</Link> <span aria-hidden="true">›</span> <span>{t('demand.numbered', { id: l.id })}</span>
      </div>
      <SaleHeader
        title={l.title}
        subtitle={<><span className="badge">{t('demand.tag')}</span> {l.buyer.name} · <span className="mono">{l.symbol}</span> {l.instrumentName}</>}
        phase={<span className="badge" data-testid="demand-phase" data-phase={phase}>{t(`demand.phases.${phase}`)}</span>}
        bestLabel={l.status === 'open' ? t('demand.lowest') : t('demand.clearingPrice')}
        bestTestId="demand-lowest"
        best={l.status !== 'open' ? (l.clearingPrice ? formatCny(l.clearingPrice) : '—') : l.lowestPrice ? formatCny(l.lowestPrice) : t('demand.noBidYet')}
        bestBy={l.status === 'open' && l.lowestBidderNo !== null ? <span className="small">{t('demand.bidderNo', { no: l.lowestBidderNo })}</span> : null}
        countdown={l.status === 'open' ? <DemandCountdown listing={l} now={now} /> : null}
      />
      <ErrorNotice error={listing.error} />
      <div className="grid grid--wide-narrow">
        <div className="page">
          <Panel title={t('demand.terms')}>
            <dl className="kv kv--3" data-testid="demand-terms">
              <div><dt>{t('demand.quantity')}</dt><dd>{qty(l.quantity)}</dd></div>
              <div><dt>{t('demand.startPrice')}</dt><dd>{formatCny(l.startPrice)}</dd></div>
              <div><dt>{t('demand.floorPrice')}</dt><dd>{formatCny(l.floorPrice)}</dd></div>
              <div><dt>{t('demand.decrement')}</dt><dd>{formatCny(l.decrement)}</dd></div>
              <div><dt>{t('demand.guidancePrice')}</dt><dd>{formatCny(l.guidancePrice)}</dd></div>
              <div><dt>{t('demand.margin')}</dt><dd>{formatDecimal(l.marginPct, 0)}% · {formatCny(l.margin)}</dd></div>
              <SaleWindowTerms sale={l} registrationLabel={t('demand.registrationWindow')} biddingLabel={t('demand.biddingWindow')} />
              <div><dt>{t('demand.antiSniping')}</dt><dd>{l.antiSnipingSeconds > 0 ? t('demand.antiSnipingRule', { minutes: Math.ceil(l.antiSnipingSeconds / 60) }) : '—'}</dd></div>
              <div><dt>{t('demand.sellers')}</dt><dd data-testid="demand-sellers">{l.sellers}</dd></div>
              <div><dt>{t('demand.bidCount')}</dt><dd data-testid="demand-bid-count">{l.bids}</dd></div>
              <div><dt>{t('demand.buyer')}</dt><dd>{l.buyer.name}</dd></div>
            </dl>
            {l.description ? <p className="small">{l.description}</p> : null}
          </Panel>
          <Panel title={t('demand.bidsHeading')}>
            <ErrorNotice error={bids.error} />
            <BidTable bids={bids.data} loading={bids.isPending} />
          </Panel>
        </div>
        <div className="page">
          {l.me?.isBuyer ? (
            <Panel title={t('demand.buyerPanel')}>
              <p data-testid="demand-buyer-note">{t('demand.youAreBuyer', { lock: formatCny(l.buyerLock) })}</p>
            </Panel>
          ) : (
            <Panel title={t('demand.sellerPanel')}>
              {l.me ? <SellerPanel listing={l} account={account.data} now={now} /> : <p className="muted">{t('demand.readOnly')}</p>}
            </Panel>
          )}
          {l.status !== 'open' ? (
            <Panel title={t('demand.resultHeading')}>
              <DemandResult listing={l} account={l.me?.isBuyer ? account.data : undefined} />
            </Panel>
          ) : null}
        </div>
      </div>
    </div>
  );
}

function BidTable({ bids, loading }: { bids: DemandBid[] | undefined; loading: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <DataTable
      caption={t('demand.bidsCaption')}
      rows={bids ? [...bids].reverse() : undefined}
      loading={loading}
      emptyText={t('demand.noBidYet')}
      rowKey={(b) => b.id}
      testId="demand-bids"
      columns={[
        { id: 'no', header: t('demand.bidderNoHeader'), rowHeader: true, cell: (b) => <>{b.bidderNo}{b.mine ? <span className="muted"> {t('demand.mine')}</span> : null}{b.seller ? <span className="muted"> · {b.seller.name}</span> : null}</> },
        { id: 'price', header: t('demand.price'), align: 'number', cell: (b) => formatCny(b.price) },
        { id: 'at', header: t('demand.at'), cell: (b) => formatDateTime(b.at, i18n.language) },
      ]}
    />
  );
}

/** The result as the buyer and everyone else read it; the buyer also sees what it now holds. */
function DemandResult({ listing, account }: { listing: DemandListing; account: Account | undefined }) {
  const { t, i18n } = useTranslation();
  if (listing.status === 'closing') return <p className="muted">{t('demand.closingNow')}</p>;
  const award = listing.award?.status === 'traded' ? listing.award : null;
  if (!award) {
    const reason = listing.resultReason ?? '—';
    return <p className="notice notice--warn" data-testid="demand-result" data-outcome={listing.status}>{listing.status === 'cancelled' ? t('demand.cancelledResult', { reason }) : t('demand.failedResult', { reason })}</p>;
  }
  const holding = account?.holdings.find((h) => h.symbol === listing.symbol);
  const qty = (v: string) => formatQuantity(v, listing.unit, i18n.language, placesOf(listing.quantity));
  return (
    <div data-testid="demand-result" data-outcome="awarded">
      <p className="notice notice--success">{t('demand.awardedTo', { no: award.bidderNo, price: formatCny(award.price), quantity: qty(award.quantity) })}</p>
      {award.seller ? <p data-testid="demand-result-seller">{t('demand.awardedSeller', { name: award.seller.name })}</p> : null}
      {holding ? <p data-testid="demand-holding">{t('demand.boughtHolding', { holding: qty(holding.available) })}</p> : null}
    </div>
  );
}
