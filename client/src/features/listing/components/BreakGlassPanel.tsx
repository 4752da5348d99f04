import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatDecimal, formatTime } from '../../../shared/format/number.ts';
import { useBreakGlass } from '../api/break-glass.ts';
import type { Listing } from '../api/types.ts';

const MIN_REASON = 5;

/**
 * The regulator's break glass on a sealed listing: a button, then a reason and a confirmation.
 * The bids come back once, with that look recorded; they are not kept in the page's cache.
 */
export function BreakGlassPanel({ listing, instrument }: { listing: Listing; instrument: Instrument | undefined }) {
  const { t, i18n } = useTranslation();
  const look = useBreakGlass();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [attempted, setAttempted] = useState(false);
  const tooShort = reason.trim().length < MIN_REASON;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (tooShort) return;
    look.mutate({ listingId: listing.id, reason: reason.trim() }, { onSuccess: () => setAsking(false) });
  };

  const seen = look.data;
  return (
    <div data-testid="break-glass">
      <p className="small muted">{t('listing.breakGlass.intro')}</p>
      {!asking ? (
        <button type="button" className="btn btn--danger" onClick={() => setAsking(true)}>
          {t('listing.breakGlass.open')}
        </button>
      ) : (
        <form className="form" onSubmit={submit} noValidate aria-label={t('listing.breakGlass.heading')}>
          <Field label={t('listing.breakGlass.reason')} error={attempted && tooShort ? t('listing.breakGlass.reasonTooShort') : null}>
            <textarea name="reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <div className="form__row">
            <button type="submit" className="btn btn--danger" disabled={look.isPending}>
              {t('listing.breakGlass.confirm')}
            </button>
            <button type="button" className="btn" onClick={() => setAsking(false)}>
              {t('listing.breakGlass.cancel')}
            </button>
          </div>
        </form>
      )}
      <ErrorNotice error={look.error} />
      {seen ? (
        <>
          <SuccessNotice>
            <span data-testid="break-glass-recorded">{t('listing.breakGlass.recorded', { id: seen.breakGlass.id, reason: seen.breakGlass.reason })}</span>
          </SuccessNotice>
          <p className="small">{t('listing.breakGlass.registrations', { count: seen.registrations.length })}</p>
          <table className="table table--compact" data-testid="break-glass-bids">
            <caption>{t('listing.breakGlass.bidsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('listing.bidTime')}</th>
                <th scope="col">{t('listing.bidder')}</th>
                <th scope="col" className="num">{t('listing.bidPrice')}</th>
                <th scope="col" className="num">{t('listing.bidQuantity')}</th>
              </tr>
            </thead>
            <tbody>
              {seen.bids.map((b) => (
                <tr key={b.id}>
                  <td className="mono">{formatTime(b.at, i18n.language)}</td>
                  <td>{b.bidder ? `${b.bidder.name}（${t('listing.bidderNo', { no: b.bidderNo })}）` : t('listing.bidderNo', { no: b.bidderNo })}</td>
                  <td className="num">{formatDecimal(b.price, pricePlaces(instrument))}</td>
                  <td className="num">{formatDecimal(b.quantity, quantityPlaces(instrument, listing.unit))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}
