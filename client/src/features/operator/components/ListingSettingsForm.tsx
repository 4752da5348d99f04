import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { instrumentName } from '../../../shared/format/instrument.ts';
import { useListingSettings, useSetListingSettings } from '../api/listing-oversight.ts';

/** The operator sets, per instrument, how far a relist may lower the start price and how long a result stays on the public board. */
export function ListingSettingsForm({ instruments }: { instruments: readonly Instrument[] }) {
  const { t, i18n } = useTranslation();
  const [symbol, setSymbol] = useState('');
  const chosen = instruments.find((i) => i.symbol === symbol) ?? instruments[0];
  const current = useListingSettings(chosen?.symbol ?? '');
  const save = useSetListingSettings();
  const [step, setStep] = useState('');
  const [days, setDays] = useState('');
  const stepValue = step === '' ? (current.data?.relistStepPct ?? '') : step;
  const daysValue = days === '' ? String(current.data?.resultsWorkingDays ?? '') : days;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    save.mutate({ symbol: chosen.symbol, relistStepPct: stepValue.trim(), resultsWorkingDays: Number(daysValue.trim()) });
  };
  if (!chosen) return null;
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('operator.listingSettings.heading')} data-testid="listing-settings-form">
      <p className="small muted">{t('operator.listingSettings.intro')}</p>
      <Field label={t('listing.instrument')}>
        <select name="settingsSymbol" value={chosen.symbol} onChange={(e) => { setSymbol(e.target.value); setStep(''); setDays(''); save.reset(); }}>
          {instruments.map((i) => (
            <option key={i.symbol} value={i.symbol}>{i.symbol} · {instrumentName(i, i18n.language)}</option>
          ))}
        </select>
      </Field>
      <div className="form__row">
        <Field label={t('operator.listingSettings.relistStep')}>
          <input name="relistStepPct" inputMode="decimal" autoComplete="off" value={stepValue} onChange={(e) => setStep(e.target.value)} />
        </Field>
        <Field label={t('operator.listingSettings.resultsDays')}>
          <input name="resultsWorkingDays" inputMode="numeric" autoComplete="off" value={daysValue} onChange={(e) => setDays(e.target.value)} />
        </Field>
      </div>
      <ErrorNotice error={save.error ?? current.error} />
      {save.data ? <SuccessNotice><span data-testid="listing-settings-saved">{t('operator.listingSettings.saved', { symbol: save.data.symbol })}</span></SuccessNotice> : null}
      <button type="submit" className="btn btn--primary" disabled={save.isPending}>{t('operator.listingSettings.submit')}</button>
    </form>
  );
}
