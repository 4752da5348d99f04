import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemandListing } from '../../../../../contract/demand-listings.ts';
import type { Account, Instrument } from '../../../shared/api/types.ts';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { dec } from '../../../shared/format/decimal.ts';
import { instrumentName } from '../../../shared/format/instrument.ts';
import { formatCny, unitLabel } from '../../../shared/format/number.ts';
import { Link } from '../../../shared/router/hash-router.tsx';
import { useCreateDemandListing } from '../api/create-demand-listing.ts';
import { buyerLockFor, demandRequest, draftFor, figuresFilled, sellerMarginFor, type DemandDraft } from '../model/demand-model.ts';

interface CreateDemandFormProps {
  instruments: readonly Instrument[];
  account: Account | undefined;
}

/** The buyer's form for a demand listing (需求挂牌): figures shown before sending, the server decides. */
export function CreateDemandForm({ instruments, account }: CreateDemandFormProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const create = useCreateDemandListing();
  const buyerName = account?.participant.name ?? '';
  const [draft, setDraft] = useState<DemandDraft>(() => draftFor(instruments[0], buyerName, lang, Date.now()));
  const [attempted, setAttempted] = useState(false);
  const [created, setCreated] = useState<DemandListing | null>(null);
  const instrument = instruments.find((i) => i.symbol === draft.symbol) ?? instruments[0];
  // Instruments and the account arrive after the first render.
  if (instrument && draft.symbol === '') setDraft(draftFor(instrument, buyerName, lang, Date.now()));
  if (!instrument) return null;

  const unit = unitLabel(instrument.unit, lang);
  const lock = buyerLockFor(draft, instrument.buyerFeeBps);
  const margin = sellerMarginFor(draft);
  const cash = account ? dec(account.cash.available) : null;
  const short = lock !== null && cash !== null && lock.greaterThan(cash);
  const set = (patch: Partial<DemandDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setCreated(null);
    if (create.error) create.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (!figuresFilled(draft) || short) return;
    create.mutate(demandRequest(draft, Date.now()), {
      onSuccess: (listing) => {
        setCreated(listing);
        setAttempted(false);
        setDraft(draftFor(instrument, buyerName, lang, Date.now()));
      },
    });
  };
  const input = (name: keyof DemandDraft, mode: 'decimal' | 'numeric' = 'decimal') => (
    <input name={name} inputMode={mode} autoComplete="off" value={draft[name]} onChange={(e) => set({ [name]: e.target.value })} />
  );
  const when = (name: keyof DemandDraft) => <input type="datetime-local" name={name} value={draft[name]} onChange={(e) => set({ [name]: e.target.value })} />;

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('demand.createHeading')} data-testid="create-demand-form">
      <div className="form__row">
        <Field label={t('demand.instrument')}>
          <select name="symbol" value={instrument.symbol} onChange={(e) => set(draftFor(instruments.find((i) => i.symbol === e.target.value), buyerName, lang, Date.now()))}>
            {instruments.map((i) => (
              <option key={i.symbol} value={i.symbol}>
                {i.symbol} · {instrumentName(i, lang)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('demand.quantityLabel', { unit })}>{input('quantity')}</Field>
      </div>
      <Field label={t('demand.title')}>
        <input name="title" value={draft.title} onChange={(e) => set({ title: e.target.value })} />
      </Field>
      <div className="form__row">
        <Field label={t('demand.startPriceLabel', { unit })}>{input('startPrice')}</Field>
        <Field label={t('demand.floorPriceLabel', { unit })} hint={t('demand.floorHint', { price: formatCny(instrument.guidancePrice ?? instrument.referencePrice) })}>
          {input('floorPrice')}
        </Field>
        <Field label={t('demand.decrementLabel', { unit })}>{input('decrement')}</Field>
      </div>
      <div className="form__row">
        <Field label={t('demand.marginPctLabel')} hint={margin ? t('demand.marginHint', { margin: formatCny(margin) }) : null}>
          {input('marginPct')}
        </Field>
        <Field label={t('demand.antiSnipingLabel')} hint={t('demand.antiSnipingHint')}>
          {input('antiSnipingMinutes', 'numeric')}
        </Field>
      </div>
      <fieldset className="form__group">
        <legend>{t('demand.windowsLegend')}</legend>
        {instrument.listingMinimums ? (
          <p className="muted small">{t('demand.minimumsHint', { registration: instrument.listingMinimums.registrationWorkingDays, bidding: instrument.listingMinimums.biddingWorkingDays })}</p>
        ) : null}
        <div className="form__row">
          <Field label={t('demand.registrationOpensAt')}>{when('registrationOpensAt')}</Field>
          <Field label={t('demand.registrationClosesAt')}>{when('registrationClosesAt')}</Field>
        </div>
        <div className="form__row">
          <Field label={t('demand.biddingOpensAt')}>{when('biddingOpensAt')}</Field>
          <Field label={t('demand.biddingClosesAt')}>{when('biddingClosesAt')}</Field>
        </div>
      </fieldset>
      <dl className="kv" aria-live="polite">
        <div>
          <dt>{t('demand.lockToBe')}</dt>
          <dd data-testid="demand-lock">{lock ? formatCny(lock) : '—'}</dd>
        </div>
        <div>
          <dt>{t('demand.availableCash')}</dt>
          <dd>{account ? formatCny(account.cash.available) : '—'}</dd>
        </div>
      </dl>
      {short ? <p className="field__error" role="alert">{t('demand.lockShort', { need: formatCny(lock), have: formatCny(cash) })}</p> : null}
      {attempted && !figuresFilled(draft) ? <p className="field__error" role="alert">{t('demand.fieldsMissing')}</p> : null}
      <p className="muted small">{t('demand.createNote')}</p>
      <button type="submit" className="btn btn--primary" disabled={create.isPending}>
        {create.isPending ? t('demand.submitting') : t('demand.createSubmit')}
      </button>
      <ErrorNotice error={create.error} title={t('demand.createRefused')} />
      {created ? (
        <SuccessNotice>
          <span data-testid="demand-created" data-demand-id={created.id}>
            {t('demand.created', { id: created.id })} <Link to={`/demand/${created.id}`}>{t('demand.open')}</Link>
          </span>
        </SuccessNotice>
      ) : null}
    </form>
  );
}
