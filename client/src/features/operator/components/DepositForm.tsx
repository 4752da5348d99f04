import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { dec, isDecimalString } from '../../../shared/format/decimal.ts';
import { formatCny } from '../../../shared/format/number.ts';
import { useConfirmDeposit } from '../api/deposits.ts';
import type { AdminParticipant } from '../api/participants.ts';

export function DepositForm({ participants }: { participants: readonly AdminParticipant[] }) {
  const { t } = useTranslation();
  const deposit = useConfirmDeposit();
  const [participantId, setParticipantId] = useState('');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const amountOk = isDecimalString(amount) && dec(amount).greaterThan(0) && dec(amount).decimalPlaces() <= 2;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    setDone(null);
    if (!participantId || !amountOk || !reference.trim()) return;
    const p = participants.find((x) => String(x.id) === participantId);
    deposit.mutate(
      { participantId: p?.id ?? participantId, amount: dec(amount).toFixed(2), reference: reference.trim() },
      {
        onSuccess: () => {
          setDone(t('operator.deposited', { name: p?.name ?? participantId, amount: formatCny(amount) }));
          setAmount('');
          setReference('');
          setAttempted(false);
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('operator.deposit')} data-testid="deposit-form">
      <Field label={t('operator.participant')} error={attempted && !participantId ? t('operator.chooseParticipant') : null}>
        <select name="participantId" value={participantId} onChange={(e) => setParticipantId(e.target.value)}>
          <option value="">{t('operator.chooseParticipant')}</option>
          {participants.map((p) => <option key={String(p.id)} value={String(p.id)}>{p.name}</option>)}
        </select>
      </Field>
      <Field label={t('operator.amount')} error={attempted && !amountOk ? t('operator.invalidAmount') : null}>
        <input name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="1000000.00" />
      </Field>
      <Field label={t('operator.reference')} error={attempted && !reference.trim() ? t('operator.required') : null}>
        <input name="reference" value={reference} onChange={(e) => setReference(e.target.value)} />
      </Field>
      <ErrorNotice error={deposit.error} />
      {done ? <SuccessNotice>{done}</SuccessNotice> : null}
      <button type="submit" className="btn btn--primary" disabled={deposit.isPending}>{t('operator.depositSubmit')}</button>
    </form>
  );
}
