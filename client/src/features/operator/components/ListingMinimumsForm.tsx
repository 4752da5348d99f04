import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { instrumentName } from '../../../shared/format/instrument.ts';
import { useSetListingMinimums } from '../api/listing-oversight.ts';

const MAX_DAYS = 60;
const isDays = (v: string) => /^\d{1,2}$/.test(v.trim()) && Number(v) <= MAX_DAYS;

/** The operator sets how many working days a new listing's registration and bidding must last, per instrument. */
export function ListingMinimumsForm({ instruments }: { instruments: readonly Instrument[] }) {
  const { t, i18n } = useTranslation();
  const save = useSetListingMinimums();
  const [symbol, setSymbol] = useState('');
  const [registration, setRegistration] = useState('');
  const [bidding, setBidding] = useState('');
  const [attempted, setAttempted] = useState(false);
  const chosen = instruments.find((i) => i.symbol === symbol) ?? instruments[0];
  const current = chosen?.listingMinimums;
  const reg = registration === '' && current ? String(current.registrationWorkingDays) : registration;
  const bid = bidding === '' && current ? String(current.biddingWorkingDays) : bidding;
  const invalid = (v: string) => (attempted && !isDays(v) ? t('operator.minimums.range', { max: MAX_DAYS }) : null);

  const choose = (next: string) => {
    setSymbol(next);
    setRegistration('');
    setBidding('');
    save.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (!chosen || !isDays(reg) || !isDays(bid)) return;
    save.mutate({ symbol: chosen.symbol, registrationWorkingDays: Number(reg), biddingWorkingDays: Number(bid) }, { onSuccess: () => setAttempted(false) });
  };

  if (!chosen) return null;
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('operator.minimums.heading')} data-testid="listing-minimums-form">
      <p className="small muted">{t('operator.minimums.intro')}</p>
      <Field label={t('listing.instrument')}>
        <select name="minimumsSymbol" value={chosen.symbol} onChange={(e) => choose(e.target.value)}>
          {instruments.map((i) => (
            <option key={i.symbol} value={i.symbol}>
              {i.symbol} · {instrumentName(i, i18n.language)}
            </option>
          ))}
        </select>
      </Field>
      <div className="form__row">
        <Field label={t('operator.minimums.registration')} error={invalid(reg)}>
          <input name="registrationWorkingDays" inputMode="numeric" autoComplete="off" value={reg} onChange={(e) => setRegistration(e.target.value)} />
        </Field>
        <Field label={t('operator.minimums.bidding')} error={invalid(bid)}>
          <input name="biddingWorkingDays" inputMode="numeric" autoComplete="off" value={bid} onChange={(e) => setBidding(e.target.value)} />
        </Field>
      </div>
      <ErrorNotice error={save.error} />
      {save.data ? (
        <SuccessNotice>
          <span data-testid="listing-minimums-saved">{t('operator.minimums.saved', { symbol: save.data.symbol, registration: save.data.registrationWorkingDays, bidding: save.data.biddingWorkingDays })}</span>
        </SuccessNotice>
      ) : null}
      <button type="submit" className="btn btn--primary" disabled={save.isPending}>{t('operator.minimums.submit')}</button>
    </form>
  );
}
