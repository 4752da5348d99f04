import { useTranslation } from 'react-i18next';
import { Field } from '../../../shared/components/Field.tsx';

/** The optional terms of issue 15 as the seller enters them: cap (price or % of start), its acceptance window, least bidders, reserve. */
export interface TermsDraft {
  capKind: 'none' | 'price' | 'pct';
  cap: string;
  capWindowMinutes: string;
  minBidders: string;
  reservePrice: string;
}

export const EMPTY_TERMS: TermsDraft = { capKind: 'none', cap: '', capWindowMinutes: '30', minBidders: '1', reservePrice: '' };

/** The request fields for the terms; the server checks them (cap above start, reserve within range). */
export function termsRequest(d: TermsDraft, mode: 'open' | 'sealed') {
  const cap = mode === 'open' && d.capKind !== 'none' && d.cap.trim() ? { [d.capKind === 'price' ? 'priceCap' : 'capPct']: d.cap.trim(), capWindowMinutes: Number(d.capWindowMinutes.trim()) } : {};
  return {
    ...cap,
    ...(d.minBidders.trim() && d.minBidders.trim() !== '1' ? { minBidders: Number(d.minBidders.trim()) } : {}),
    ...(d.reservePrice.trim() ? { reservePrice: d.reservePrice.trim() } : {}),
  };
}

export function ListingTermsFields({ terms, mode, unit, onChange }: { terms: TermsDraft; mode: 'open' | 'sealed'; unit: string; onChange: (patch: Partial<TermsDraft>) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="form__group" data-testid="listing-terms-fields">
      <legend>{t('listingRules.termsLegend')}</legend>
      {mode === 'open' ? (
        <div className="form__row">
          <Field label={t('listingRules.capKind')}>
            <select name="capKind" value={terms.capKind} onChange={(e) => onChange({ capKind: e.target.value as TermsDraft['capKind'] })}>
              <option value="none">{t('listingRules.capKinds.none')}</option>
              <option value="price">{t('listingRules.capKinds.price')}</option>
              <option value="pct">{t('listingRules.capKinds.pct')}</option>
            </select>
          </Field>
          {terms.capKind !== 'none' ? (
            <>
              <Field label={terms.capKind === 'price' ? t('listingRules.capPriceLabel', { unit }) : t('listingRules.capPctLabel')}>
                <input name="cap" inputMode="decimal" autoComplete="off" value={terms.cap} onChange={(e) => onChange({ cap: e.target.value })} />
              </Field>
              <Field label={t('listingRules.capWindowLabel')} hint={t('listingRules.capWindowHint')}>
                <input name="capWindowMinutes" inputMode="numeric" autoComplete="off" value={terms.capWindowMinutes} onChange={(e) => onChange({ capWindowMinutes: e.target.value })} />
              </Field>
            </>
          ) : null}
        </div>
      ) : null}
      <div className="form__row">
        <Field label={t('listingRules.minBiddersLabel')} hint={t('listingRules.minBiddersHint')}>
          <input name="minBidders" inputMode="numeric" autoComplete="off" value={terms.minBidders} onChange={(e) => onChange({ minBidders: e.target.value })} />
        </Field>
        <Field label={t('listingRules.reserveLabel', { unit })} hint={t('listingRules.reserveHint')}>
          <input name="reservePrice" inputMode="decimal" autoComplete="off" value={terms.reservePrice} onChange={(e) => onChange({ reservePrice: e.target.value })} />
        </Field>
      </div>
    </fieldset>
  );
}
