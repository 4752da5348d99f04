import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, Instrument } from '../../../shared/api/types.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { cashFigure, Figures } from '../../../shared/components/Figures.tsx';
import { SubmitBlock } from '../../../shared/components/SubmitBlock.tsx';
import { dec, isDecimalString } from '../../../shared/format/decimal.ts';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatDateTime, formatDecimal, formatQuantity, unitLabel } from '../../../shared/format/number.ts';
import { usePlaceBid } from '../api/place-bid.ts';
import { useRegisterForListing } from '../api/register-for-listing.ts';
import type { Listing } from '../api/types.ts';
import { assessBid, biddingOpenAt, marginFor, phaseAt, registrationOpenAt, type BidError } from '../model/listing-rules.ts';

interface BidderPanelProps {
  listing: Listing;
  instrument: Instrument | undefined;
  account: Account | undefined;
  now: number;
}

/** A participant's side of a listing: register (margin locked), then bid; or why it cannot. */
export function BidderPanel({ listing, instrument, account, now }: BidderPanelProps) {
  const { t, i18n } = useTranslation();
  const me = listing.me;
  if (!me) return <p className="muted">{t('listing.readOnly')}</p>;
  if (me.isSeller) return <p className="muted" data-testid="seller-note">{t('listing.youAreSeller')}</p>;
  if (listing.status !== 'open') return <Outcome listing={listing} />;
  if (!me.registered) return <RegisterForm listing={listing} instrument={instrument} account={account} now={now} />;
  return (
    <div className="bidder" data-testid="bidder-panel">
      <dl className="kv">
        <div>
          <dt>{t('listing.yourBidderNo')}</dt>
          <dd data-testid="my-bidder-no">{me.bidderNo}</dd>
        </div>
        <div>
          <dt>{t('listing.marginLocked')}</dt>
          <dd data-testid="my-margin">{formatCny(me.margin)}</dd>
        </div>
        <div>
          <dt>{t('listing.yourBid')}</dt>
          <dd data-testid="my-bid">{me.bid ? formatCny(me.bid.price) : '—'}</dd>
        </div>
      </dl>
      {listing.mode === 'open' && me.leading ? (
        <p className="notice notice--success" role="status" data-testid="leading">{t('listing.leading')}</p>
      ) : listing.mode === 'open' && me.bid ? (
        <p className="notice notice--warn" role="status" data-testid="outbid">{t('listing.outbid')}</p>
      ) : null}
      {biddingOpenAt(listing, now) ? (
        listing.mode === 'open' && me.leading ? null : <BidForm listing={listing} instrument={instrument} account={account} />
      ) : phaseAt(listing, now) === 'closing' ? (
        <p className="muted">{t('listing.closingNow')}</p>
      ) : (
        <p className="muted">{t('listing.biddingStartsAt', { at: formatDateTime(listing.biddingOpensAt, i18n.language) })}</p>
      )}
    </div>
  );
}

function RegisterForm({ listing, account, instrument, now }: BidderPanelProps) {
  const { t, i18n } = useTranslation();
  const register = useRegisterForListing();
  const [quantity, setQuantity] = useState('');
  const open = registrationOpenAt(listing, now);
  const sealed = listing.mode === 'sealed';
  const q = quantity.trim();
  const quantityOk = !sealed || q === '' || (isDecimalString(q) && dec(q).greaterThan(0) && dec(q).lessThanOrEqualTo(listing.quantity) && (!instrument || dec(q).modulo(instrument.lotSize).isZero()));
  const margin = sealed && q && quantityOk ? marginFor(listing.startPrice, q, listing.marginPct) : dec(listing.margin);
  const cash = account ? dec(account.cash.available) : null;
  const short = cash !== null && margin.greaterThan(cash);

  if (!open) {
    const phase = phaseAt(listing, now);
    return (
      <p className="muted" data-testid="registration-closed">
        {phase === 'upcoming' ? t('listing.registrationStartsAt', { at: formatDateTime(listing.registrationOpensAt, i18n.language) }) : t('listing.registrationOver')}
      </p>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!quantityOk || short) return;
    register.mutate({ listingId: listing.id, ...(sealed && q ? { quantity: q } : {}) });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('listing.register')} data-testid="register-form">
      <p className="small">{t('listing.registerHint', { pct: formatDecimal(listing.marginPct, 0) })}</p>
      {sealed ? (
        <Field
          label={t('listing.registerQuantity', { unit: unitLabel(listing.unit, i18n.language) })}
          hint={t('listing.registerQuantityHint', { max: formatQuantity(listing.quantity, listing.unit, i18n.language, quantityPlaces(instrument, listing.unit)) })}
          error={quantityOk ? null : t('listing.errors.quantityFormat')}
        >
          <input name="registerQuantity" inputMode="decimal" autoComplete="off" value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        </Field>
      ) : null}
      <Figures items={[{ id: 'margin', label: t('listing.marginToLock'), value: formatCny(margin), testId: 'margin-to-lock' }, cashFigure(t('order.availableCash'), account)]} />
      {short ? <p className="field__error" role="alert">{t('listing.errors.insufficientCash', { need: margin.toFixed(2), have: cash!.toFixed(2) })}</p> : null}
      <button type="submit" className="btn btn--primary btn--block" disabled={register.isPending || short}>
        {t('listing.registerSubmit', { margin: formatCny(margin) })}
      </button>
      <ErrorNotice error={register.error} title={t('listing.registerRefused')} />
    </form>
  );
}

function BidForm({ listing, instrument, account }: Omit<BidderPanelProps, 'now'>) {
  const { t, i18n } = useTranslation();
  const bid = usePlaceBid();
  const [price, setPrice] = useState('');
  const [quantity, setQuantity] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [placed, setPlaced] = useState<string | null>(null);
  const tickSize = instrument?.tickSize ?? '0.01';
  const assessment = assessBid(
    listing,
    { price, quantity },
    { tickSize, lotSize: instrument?.lotSize ?? '0.01', buyerFeeBps: instrument?.buyerFeeBps, cashAvailable: account ? account.cash.available : null },
  );
  const pp = pricePlaces(instrument);
  const unit = unitLabel(listing.unit, i18n.language);
  const message = (e: BidError | undefined) => {
    if (!e) return null;
    const { field: _field, key, ...params } = e;
    return t(`listing.errors.${key}`, params);
  };
  const priceError = attempted || price ? message(assessment.errors.find((e) => e.field === 'price')) : null;
  const quantityError = message(assessment.errors.find((e) => e.field === 'quantity'));
  const fundsError = message(assessment.errors.find((e) => e.field === 'funds'));
  const minimum = assessment.minimum.toFixed(dec(tickSize).decimalPlaces());

  const edit = (fn: () => void) => {
    fn();
    setPlaced(null);
    if (bid.error) bid.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (assessment.errors.length > 0) return;
    const sent = price.trim();
    bid.mutate(
      { listingId: listing.id, price: sent, ...(listing.mode === 'sealed' && quantity.trim() ? { quantity: quantity.trim() } : {}) },
      {
        onSuccess: () => {
          setPlaced(sent);
          setPrice('');
          setAttempted(false);
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('listing.bidForm')} data-testid="bid-form">
      <p className="small" data-testid="minimum-bid">
        {t('listing.minimumNext', { price: `¥${formatDecimal(minimum, pp)}` })}{' '}
        <button type="button" className="link-button link" onClick={() => edit(() => setPrice(minimum))}>
          {t('listing.useMinimum')}
        </button>
      </p>
      <Field label={t('listing.bidPriceLabel', { unit })} error={priceError}>
        <input name="bidPrice" inputMode="decimal" autoComplete="off" value={price} onChange={(e) => edit(() => setPrice(e.target.value))} />
      </Field>
      {listing.mode === 'sealed' ? (
        <Field label={t('listing.bidQuantityLabel', { unit })} hint={t('listing.bidQuantityHint', { max: listing.me?.quantity ?? listing.quantity })} error={quantityError}>
          <input name="bidQuantity" inputMode="decimal" autoComplete="off" value={quantity} onChange={(e) => edit(() => setQuantity(e.target.value))} />
        </Field>
      ) : null}
      <Figures
        items={[
          { id: 'amount', label: t('listing.bidAmount'), value: assessment.cost ? formatCny(assessment.cost.amount) : '—', testId: 'bid-amount' },
          { id: 'fee', label: t('order.fee'), value: assessment.cost ? formatCny(assessment.cost.fee) : '—' },
          { id: 'extra', label: t('listing.extraLock'), value: assessment.extraLock ? formatCny(assessment.extraLock) : '—', testId: 'bid-extra-lock' },
          cashFigure(t('order.availableCash'), account),
        ]}
      />
      {fundsError ? <p className="field__error" role="alert">{fundsError}</p> : null}
      <SubmitBlock
        className="btn btn--buy btn--block"
        label={t('listing.bidSubmit')}
        pendingLabel={t('order.submitting')}
        pending={bid.isPending}
        error={bid.error}
        refusedTitle={t('listing.bidRefused')}
        success={placed ? <span data-testid="bid-accepted">{t('listing.bidAccepted', { price: formatCny(placed) })}</span> : null}
      />
    </form>
  );
}

/** After the close: what this participant got. */
function Outcome({ listing }: { listing: Listing }) {
  const { t } = useTranslation();
  const me = listing.me!;
  const won = me.bidderNo !== null && listing.awards.some((a) => a.bidderNo === me.bidderNo && a.status === 'traded');
  if (listing.status === 'closing') return <p className="muted">{t('listing.closingNow')}</p>;
  if (!me.registered) return <p className="muted">{t('listing.notRegisteredClosed')}</p>;
  return won ? (
    <p className="notice notice--success" data-testid="my-outcome" data-outcome="won">{t('listing.youWon')}</p>
  ) : (
    <p className="notice notice--warn" data-testid="my-outcome" data-outcome="lost">{t('listing.youLost')}</p>
  );
}
