import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { dec, isDecimalString } from '../../../shared/format/decimal.ts';
import { formatCny } from '../../../shared/format/number.ts';
import { useDepositCap, useSetDepositCap } from '../api/deposit-cap.ts';

/** The operator's cap on a single deposit: shown above the deposit form, changed here. */
export function DepositCapForm() {
  const { t } = useTranslation();
  const cap = useDepositCap();
  const save = useSetDepositCap();
  const [amount, setAmount] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const amountOk = isDecimalString(amount) && dec(amount).greaterThan(0) && dec(amount).decimalPlaces() <= 2;
  const current = cap.data?.maxAmount ?? null;

  const apply = (maxAmount: string | null) =>
    save.mutate(
      { maxAmount },
      {
        onSuccess: (saved) => {
          setDone(saved.maxAmount === null ? t('operator.depositCapRemoved') : t('operator.depositCapSaved', { amount: formatCny(saved.maxAmount) }));
          setAmount('');
          setAttempted(false);
        },
      },
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    setDone(null);
    if (amountOk) apply(dec(amount).toFixed(2));
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('operator.depositCap')} data-testid="deposit-cap-form">
      <p data-testid="deposit-cap-current">
        {t('operator.depositCapCurrent')}: <strong>{current === null ? t('operator.depositCapNone') : formatCny(current)}</strong>
      </p>
      <Field label={t('operator.depositCapNew')} hint={t('operator.depositCapHint')} error={attempted && !amountOk ? t('operator.invalidAmount') : null}>
        <input name="depositCap" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="5000000.00" />
      </Field>
      <ErrorNotice error={cap.error ?? save.error} />
      {done ? <SuccessNotice>{done}</SuccessNotice> : null}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={save.isPending}>{t('operator.depositCapSubmit')}</button>
        {current !== null ? (
          <button type="button" className="btn" disabled={save.isPending} onClick={() => { setDone(null); apply(null); }}>
            {t('operator.depositCapRemove')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
