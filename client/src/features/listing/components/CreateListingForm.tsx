import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, Instrument } from '../../../shared/api/types.ts';
import { Field } from '../../../shared/components/Field.tsx';
import { InstrumentSelect } from '../../../shared/components/InstrumentSelect.tsx';
import { SubmitBlock } from '../../../shared/components/SubmitBlock.tsx';
import { dec } from '../../../shared/format/decimal.ts';
import { quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatQuantity, unitLabel } from '../../../shared/format/number.ts';
import { toBeijingInput } from '../../../shared/format/beijing-time.ts';
import { useDraftForm } from '../../../shared/hooks/use-draft-form.ts';
import { Link } from '../../../shared/router/hash-router.tsx';
import { useCreateListing } from '../api/create-listing.ts';
import type { Listing } from '../api/types.ts';
import { assessListingDraft, listingRequest, marginFor, type DraftError, type DraftField, type ListingDraft } from '../model/listing-rules.ts';
import { addWorkingDays } from '../../../../../contract/listing-windows.ts';
import { EMPTY_TERMS, ListingTermsFields, termsRequest, type TermsDraft } from './ListingTermsFields.tsx';

/** Whom the operator lists for: its holdings are not checked here (the server does). */
export interface OnBehalfOf {
  id: string;
  name: string;
  kind: string;
  /** Instruments it holds lots of. */
  symbols: readonly string[];
}

interface CreateListingFormProps {
  instruments: readonly Instrument[];
  /** The signed-in seller's own account; or, for the operator, `onBehalfOf`. */
  account: Account | undefined;
  onBehalfOf?: OnBehalfOf;
}

const HOUR = 3_600_000;

/** A sensible first raise: about a thousandth of the price, on a round figure. */
function defaultIncrement(instrument: Instrument): string {
  const price = dec(instrument.guidancePrice ?? instrument.referencePrice);
  if (price.greaterThanOrEqualTo(10_000)) return '1000.00';
  if (price.greaterThanOrEqualTo(100)) return '10.00';
  return dec(instrument.tickSize).times(10).toFixed(dec(instrument.tickSize).decimalPlaces());
}

/** The next full hour at or after `at`. */
const ceilHour = (at: Date) => Math.ceil(at.getTime() / HOUR) * HOUR;

/**
 * The shortest windows the instrument allows, ending on the hour: registration opens now and
 * closes after the minimum working days, bidding follows it. Without minimums both open now and
 * run a day, a listing bidders can act on at once.
 */
function defaultWindows(instrument: Instrument | undefined, now: number) {
  const m = instrument?.listingMinimums ?? { registrationWorkingDays: 0, biddingWorkingDays: 0 };
  if (m.registrationWorkingDays === 0 && m.biddingWorkingDays === 0) return { regClose: now + 24 * HOUR, bidOpen: now, bidClose: now + 24 * HOUR };
  const regClose = ceilHour(addWorkingDays(new Date(now), m.registrationWorkingDays));
  return { regClose, bidOpen: regClose, bidClose: ceilHour(addWorkingDays(new Date(regClose), Math.max(m.biddingWorkingDays, 1))) };
}

function draftFor(instrument: Instrument | undefined, sellerName: string, lang: string): ListingDraft {
  const now = Date.now();
  const year = new Date(now).getFullYear();
  const w = defaultWindows(instrument, now);
  return {
    symbol: instrument?.symbol ?? '',
    title: instrument ? (lang.startsWith('zh') ? `${sellerName}${year}年${instrument.nameZh}挂牌竞价` : `${sellerName} ${year} ${instrument.name} listing`) : '',
    mode: 'open',
    quantity: '',
    startPrice: instrument ? (instrument.guidancePrice ?? instrument.referencePrice) : '',
    bidIncrement: instrument ? defaultIncrement(instrument) : '',
    marginPct: '10',
    registrationOpensAt: toBeijingInput(now),
    registrationClosesAt: toBeijingInput(w.regClose),
    biddingOpensAt: toBeijingInput(w.bidOpen),
    biddingClosesAt: toBeijingInput(w.bidClose),
    antiSnipingMinutes: '5',
  };
}

/** The seller console's form for a listing auction (挂牌竞价): checked here, then by the server. */
export function CreateListingForm({ instruments, account, onBehalfOf }: CreateListingFormProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const create = useCreateListing();
  const kind = onBehalfOf ? onBehalfOf.kind : account?.participant.kind;
  const holds = (symbol: string) =>
    onBehalfOf ? onBehalfOf.symbols.includes(symbol) : dec(account?.holdings.find((h) => h.symbol === symbol)?.available ?? '0').greaterThan(0);
  // What this seller may list: instruments it is eligible to sell and holds some of.
  const sellable = instruments.filter((i) => (i.sellerKinds !== 'government' || kind === 'government') && holds(i.symbol));
  const sellerName = onBehalfOf ? onBehalfOf.name : (account?.participant.name ?? '');
  const { draft, setDraft, attempted, done: created, setDone: setCreated, set, attempt, succeeded } = useDraftForm<ListingDraft, Listing>(() => draftFor(sellable[0], sellerName, lang), create);
  const [terms, setTerms] = useState<TermsDraft>(EMPTY_TERMS);

  const instrument = sellable.find((i) => i.symbol === draft.symbol) ?? sellable[0];
  // The first instrument becomes known only once instruments and the account have loaded.
  if (instrument && draft.symbol === '') setDraft(draftFor(instrument, sellerName, lang));
  const available = onBehalfOf ? null : (account?.holdings.find((h) => h.symbol === instrument?.symbol)?.available ?? null);
  const errors = instrument
    ? assessListingDraft(draft, {
        tickSize: instrument.tickSize,
        lotSize: instrument.lotSize,
        guidancePrice: instrument.guidancePrice ?? instrument.referencePrice,
        available,
        minimums: instrument.listingMinimums ?? null,
        now: Date.now(),
      })
    : [];
  const unit = instrument ? unitLabel(instrument.unit, lang) : '';
  const text = (e: DraftError | undefined) => (e ? t(`listing.errors.${e.key}`, e.values ?? {}) : null);
  const errorOf = (field: DraftField) => (attempted ? text(errors.find((e) => e.field === field)) : null);
  const margin = errors.some((e) => ['quantity', 'startPrice', 'marginPct'].includes(e.field)) ? null : marginFor(draft.startPrice, draft.quantity, draft.marginPct);

  if (!instrument) return <p className="muted" data-testid="create-listing-none">{t('listing.nothingToList')}</p>;

  const submit = (e: FormEvent) => {
    if (!attempt(e, errors.length === 0)) return;
    create.mutate({ ...listingRequest(draft), ...termsRequest(terms, draft.mode), ...(onBehalfOf ? { sellerId: onBehalfOf.id } : {}) }, {
      onSuccess: (listing) => {
        succeeded(listing, draftFor(instrument, sellerName, lang));
        setTerms(EMPTY_TERMS);
      },
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('listing.createHeading')} data-testid="create-listing-form">
      <div className="form__row">
        <Field label={t('listing.instrument')}>
          <InstrumentSelect instruments={sellable} value={instrument.symbol} onChange={(symbol) => set(draftFor(sellable.find((i) => i.symbol === symbol), sellerName, lang))} />
        </Field>
        <Field label={t('listing.mode')}>
          <select name="mode" value={draft.mode} onChange={(e) => set({ mode: e.target.value as ListingDraft['mode'] })}>
            <option value="open">{t('listing.modes.open')}</option>
            <option value="sealed">{t('listing.modes.sealed')}</option>
          </select>
        </Field>
      </div>
      <Field label={t('listing.title')} error={errorOf('title')}>
        <input name="title" value={draft.title} onChange={(e) => set({ title: e.target.value })} />
      </Field>
      <div className="form__row">
        <Field
          label={t('listing.quantityLabel', { unit })}
          error={errorOf('quantity')}
          hint={available !== null ? t('listing.availableHint', { have: formatQuantity(available, instrument.unit, lang, quantityPlaces(instrument)) }) : null}
        >
          <input name="quantity" inputMode="decimal" autoComplete="off" value={draft.quantity} onChange={(e) => set({ quantity: e.target.value })} />
        </Field>
        <Field
          label={t('listing.startPriceLabel', { unit })}
          error={errorOf('startPrice')}
          hint={t('listing.guidanceHint', { price: formatCny(instrument.guidancePrice ?? instrument.referencePrice) })}
        >
          <input name="startPrice" inputMode="decimal" autoComplete="off" value={draft.startPrice} onChange={(e) => set({ startPrice: e.target.value })} />
        </Field>
      </div>
      <div className="form__row">
        {draft.mode === 'open' ? (
          <Field label={t('listing.incrementLabel', { unit })} error={errorOf('bidIncrement')}>
            <input name="bidIncrement" inputMode="decimal" autoComplete="off" value={draft.bidIncrement} onChange={(e) => set({ bidIncrement: e.target.value })} />
          </Field>
        ) : null}
        <Field label={t('listing.marginPctLabel')} error={errorOf('marginPct')} hint={margin ? t('listing.marginHint', { margin: formatCny(margin) }) : null}>
          <input name="marginPct" inputMode="decimal" autoComplete="off" value={draft.marginPct} onChange={(e) => set({ marginPct: e.target.value })} />
        </Field>
        {draft.mode === 'open' ? (
          <Field label={t('listing.antiSnipingLabel')} error={errorOf('antiSnipingMinutes')} hint={t('listing.antiSnipingHint')}>
            <input name="antiSnipingMinutes" inputMode="numeric" autoComplete="off" value={draft.antiSnipingMinutes} onChange={(e) => set({ antiSnipingMinutes: e.target.value })} />
          </Field>
        ) : null}
      </div>
      <ListingTermsFields terms={terms} mode={draft.mode} unit={unit} onChange={(patch) => { setTerms((d) => ({ ...d, ...patch })); setCreated(null); }} />
      <fieldset className="form__group">
        <legend>{t('listing.windowsLegend')}</legend>
        {instrument.listingMinimums ? (
          <p className="muted small" data-testid="listing-minimums-hint">
            {t('listing.minimumsHint', { registration: instrument.listingMinimums.registrationWorkingDays, bidding: instrument.listingMinimums.biddingWorkingDays })}
          </p>
        ) : null}
        <div className="form__row">
          <Field label={t('listing.registrationOpensAt')} error={errorOf('registrationOpensAt')}>
            <input type="datetime-local" name="registrationOpensAt" value={draft.registrationOpensAt} onChange={(e) => set({ registrationOpensAt: e.target.value })} />
          </Field>
          <Field label={t('listing.registrationClosesAt')} error={errorOf('registrationClosesAt')}>
            <input type="datetime-local" name="registrationClosesAt" value={draft.registrationClosesAt} onChange={(e) => set({ registrationClosesAt: e.target.value })} />
          </Field>
        </div>
        <div className="form__row">
          <Field label={t('listing.biddingOpensAt')} error={errorOf('biddingOpensAt')}>
            <input type="datetime-local" name="biddingOpensAt" value={draft.biddingOpensAt} onChange={(e) => set({ biddingOpensAt: e.target.value })} />
          </Field>
          <Field label={t('listing.biddingClosesAt')} error={errorOf('biddingClosesAt')}>
            <input type="datetime-local" name="biddingClosesAt" value={draft.biddingClosesAt} onChange={(e) => set({ biddingClosesAt: e.target.value })} />
          </Field>
        </div>
        {errorOf('windows') ? <p className="field__error" role="alert">{errorOf('windows')}</p> : null}
      </fieldset>
      <SubmitBlock
        note={t('listing.createNote')}
        label={t('listing.createSubmit')}
        pendingLabel={t('order.submitting')}
        pending={create.isPending}
        error={create.error}
        refusedTitle={t('listing.createRefused')}
        success={
          created ? (
            <span data-testid="listing-created" data-listing-id={created.id}>
              {t('listing.created', { id: created.id })} <Link to={`/listings/${created.id}`}>{t('listing.openListing')}</Link>
            </span>
          ) : null
        }
      />
    </form>
  );
}
