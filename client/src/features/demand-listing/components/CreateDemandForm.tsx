import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemandListing } from '../../../../../contract/demand-listings.ts';
import type { Account, Instrument } from '../../../shared/api/types.ts';
import { Field } from '../../../shared/components/Field.tsx';
import { cashFigure, Figures } from '../../../shared/components/Figures.tsx';
import { InstrumentSelect } from '../../../shared/components/InstrumentSelect.tsx';
import { SubmitBlock } from '../../../shared/components/SubmitBlock.tsx';
import { dec } from '../../../shared/format/decimal.ts';
import { formatCny, unitLabel } from '../../../shared/format/number.ts';
import { useDraftForm } from '../../../shared/hooks/use-draft-form.ts';
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
  const { draft, setDraft, attempted, done: created, set, attempt, succeeded } = useDraftForm<DemandDraft, DemandListing>(() => draftFor(instruments[0], buyerName, lang, Date.now()), create);
  const instrument = instruments.find((i) => i.symbol === draft.symbol) ?? instruments[0];
  // Instruments and the account arrive after the first render.
  if (instrument && draft.symbol === '') setDraft(draftFor(instrument, buyerName, lang, Date.now()));
  if (!instrument) return null;

  const unit = unitLabel(instrument.unit, lang);
  const lock = buyerLockFor(draft, instrument.buyerFeeBps);
  const margin = sellerMarginFor(draft);
  const cash = account ? dec(account.cash.available) : null;
  const short = lock !== null && cash !== null && lock.greaterThan(cash);
  const submit = (e: FormEvent) => {
    if (!attempt(e, figuresFilled(draft) && !short)) return;
    create.mutate(demandRequest(draft, Date.now()), { onSuccess: (listing) => succeeded(listing, draftFor(instrument, buyerName, lang, Date.now())) });
  };
  const input = (name: keyof DemandDraft, mode: 'decimal' | 'numeric' = 'decimal') => (
    <input name={name} inputMode={mode} autoComplete="off" value={draft[name]} onChange={(e) => set({ [name]: e.target.value })} />
  );
  const when = (name: keyof DemandDraft) => <input type="datetime-local" name={name} value={draft[name]} onChange={(e) => set({ [name]: e.target.value })} />;

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('demand.createHeading')} data-testid="create-demand-form">
      <div className="form__row">
        <Field label={t('demand.instrument')}>
          <InstrumentSelect instruments={instruments} value={instrument.symbol} onChange={(symbol) => set(draftFor(instruments.find((i) => i.symbol === symbol), buyerName, lang, Date.now()))} />
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
      <Figures
        items={[
          { id: 'lock', label: t('demand.lockToBe'), value: lock ? formatCny(lock) : '—', testId: 'demand-lock' },
          cashFigure(t('demand.availableCash'), account),
        ]}
      />
      {short ? <p className="field__error" role="alert">{t('demand.lockShort', { need: formatCny(lock), have: formatCny(cash) })}</p> : null}
      {attempted && !figuresFilled(draft) ? <p className="field__error" role="alert">{t('demand.fieldsMissing')}</p> : null}
      <SubmitBlock
        note={t('demand.createNote')}
        label={t('demand.createSubmit')}
        pendingLabel={t('demand.submitting')}
        pending={create.isPending}
        error={create.error}
        refusedTitle={t('demand.createRefused')}
        success={
          created ? (
            <span data-testid="demand-created" data-demand-id={created.id}>
              {t('demand.created', { id: created.id })} <Link to={`/demand/${created.id}`}>{t('demand.open')}</Link>
            </span>
          ) : null
        }
      />
    </form>
  );
}
