import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemandListing } from '../../../../../contract/demand-listings.ts';
import type { Account } from '../../../shared/api/types.ts';
import { ConfirmDialog } from '../../../shared/components/ConfirmDialog.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { SubmitBlock } from '../../../shared/components/SubmitBlock.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { dec, isDecimalString } from '../../../shared/format/decimal.ts';
import { formatCny, formatDateTime, formatQuantity, placesOf, unitLabel } from '../../../shared/format/number.ts';
import { usePlaceDemandBid } from '../api/place-demand-bid.ts';
import { useRegisterDemandSeller } from '../api/register-demand-seller.ts';
import { offerAmount, phaseAt, registrationOpenAt } from '../model/demand-model.ts';

interface SellerPanelProps {
  listing: DemandListing;
  account: Account | undefined;
  now: number;
}

/** A holder's side of a demand listing: register (margin locked), then bid the price down. */
export function SellerPanel({ listing, account, now }: SellerPanelProps) {
  const { t, i18n } = useTranslation();
  const me = listing.me!;
  const phase = phaseAt(listing, now);
  if (listing.status !== 'open') return <Outcome listing={listing} />;
  if (!me.registered) {
    if (!registrationOpenAt(listing, now)) {
      return <p className="muted" data-testid="demand-registration-closed">{phase === 'upcoming' ? t('demand.registrationStartsAt', { at: formatDateTime(listing.registrationOpensAt, i18n.language) }) : t('demand.registrationOver')}</p>;
    }
    return <RegisterForm listing={listing} />;
  }
  return (
    <div className="bidder" data-testid="demand-seller-panel">
      <dl className="kv">
        <div><dt>{t('demand.yourBidderNo')}</dt><dd data-testid="demand-my-no">{me.bidderNo}</dd></div>
        <div><dt>{t('demand.marginLocked')}</dt><dd>{formatCny(me.margin)}</dd></div>
        <div><dt>{t('demand.yourLowest')}</dt><dd data-testid="demand-my-offer">{me.myLowest ? formatCny(me.myLowest) : '—'}</dd></div>
      </dl>
      {me.leading ? (
        <p className="notice notice--success" role="status" data-testid="demand-leading">{t('demand.leading')}</p>
      ) : me.myLowest ? (
        <p className="notice notice--warn" role="status" data-testid="demand-undercut">{t('demand.undercut')}</p>
      ) : null}
      {phase === 'bidding' ? (
        me.leading ? null : <BidForm key={listing.nextBidAtMost ?? 'none'} listing={listing} account={account} />
      ) : phase === 'closing' ? (
        <p className="muted">{t('demand.closingNow')}</p>
      ) : (
        <p className="muted">{t('demand.biddingStartsAt', { at: formatDateTime(listing.biddingOpensAt, i18n.language) })}</p>
      )}
    </div>
  );
}

function RegisterForm({ listing }: { listing: DemandListing }) {
  const { t } = useTranslation();
  const register = useRegisterDemandSeller();
  return (
    <form className="form" aria-label={t('demand.sellerPanel')} data-testid="demand-register-form" onSubmit={(e) => { e.preventDefault(); register.mutate(listing.id); }}>
      <p className="small">{t('demand.registerHint', { margin: formatCny(listing.margin) })}</p>
      <button type="submit" className="btn btn--primary btn--block" disabled={register.isPending}>
        {t('demand.registerSubmit', { margin: formatCny(listing.margin) })}
      </button>
      <ErrorNotice error={register.error} title={t('demand.registerRefused')} />
    </form>
  );
}

/** The offer, prefilled with the highest price allowed next; sent only after a confirm step. */
function BidForm({ listing, account }: { listing: DemandListing; account: Account | undefined }) {
  const { t, i18n } = useTranslation();
  const bid = usePlaceDemandBid();
  const [price, setPrice] = useState(listing.nextBidAtMost ?? '');
  const [confirming, setConfirming] = useState(false);
  const [placed, setPlaced] = useState<string | null>(null);
  const unit = unitLabel(listing.unit, i18n.language);
  const quantity = formatQuantity(listing.quantity, listing.unit, i18n.language, placesOf(listing.quantity));
  const p = price.trim();
  const valid = isDecimalString(p) && listing.nextBidAtMost !== null && dec(p).lessThanOrEqualTo(listing.nextBidAtMost) && dec(p).greaterThanOrEqualTo(listing.floorPrice);
  const held = account?.holdings.find((h) => h.symbol === listing.symbol);
  if (listing.nextBidAtMost === null) return <p className="muted" data-testid="demand-floor-reached">{t('demand.floorReached')}</p>;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid) setConfirming(true);
  };
  const send = () =>
    bid.mutate(
      { id: listing.id, price: p },
      {
        onSuccess: () => setPlaced(p),
        onSettled: () => setConfirming(false),
      },
    );
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('demand.bidSubmit')} data-testid="demand-bid-form">
      <p className="small" data-testid="demand-next-at-most">{t('demand.nextAtMost', { price: formatCny(listing.nextBidAtMost) })}</p>
      <Field label={t('demand.bidPriceLabel', { unit })} error={p && !valid ? t('demand.priceInvalid') : null} hint={held ? t('demand.availableHolding', { quantity: formatQuantity(held.available, listing.unit, i18n.language, placesOf(listing.quantity)) }) : null}>
        <input name="demandBidPrice" inputMode="decimal" autoComplete="off" value={price} onChange={(e) => { setPrice(e.target.value); setPlaced(null); if (bid.error) bid.reset(); }} />
      </Field>
      <SubmitBlock
        className="btn btn--sell btn--block"
        label={t('demand.bidSubmit')}
        pending={bid.isPending}
        disabled={!valid}
        error={bid.error}
        refusedTitle={t('demand.bidRefused')}
        success={placed ? <span data-testid="demand-bid-accepted">{t('demand.bidAccepted', { price: formatCny(placed) })}</span> : null}
      />
      {confirming ? (
        <ConfirmDialog title={t('demand.confirmTitle')} confirmLabel={t('demand.confirmSubmit')} busy={bid.isPending} onConfirm={send} onCancel={() => setConfirming(false)} testId="demand-bid-confirm">
          <p>{t('demand.confirmBody', { price: formatCny(p), unit, quantity, amount: formatCny(offerAmount(listing.quantity, p)) })}</p>
        </ConfirmDialog>
      ) : null}
    </form>
  );
}

function Outcome({ listing }: { listing: DemandListing }) {
  const { t } = useTranslation();
  const me = listing.me!;
  if (listing.status === 'closing') return <p className="muted">{t('demand.closingNow')}</p>;
  if (!me.registered) return <p className="muted">{t('demand.notRegisteredClosed')}</p>;
  const won = listing.award?.status === 'traded' && listing.award.bidderNo === me.bidderNo;
  return won ? (
    <p className="notice notice--success" data-testid="demand-my-outcome" data-outcome="won">{t('demand.youWon', { price: formatCny(listing.award!.price) })}</p>
  ) : (
    <p className="notice notice--warn" data-testid="demand-my-outcome" data-outcome="lost">{t('demand.youLost')}</p>
  );
}
