import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Holding, Instrument } from '../../../shared/api/types.ts';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { dec, isDecimalString } from '../../../shared/format/decimal.ts';
import { quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatQuantity, unitLabel } from '../../../shared/format/number.ts';
import { useConsumeIndicator } from '../api/registry.ts';

function newRequestId(): string {
  const rand = new Uint32Array(2);
  crypto.getRandomValues(rand);
  return `web-${Date.now().toString(36)}-${Array.from(rand, (n) => n.toString(36)).join('')}`;
}

interface ConsumeFormProps {
  holding: Holding;
  instrument: Instrument | undefined;
  onClose: () => void;
}

/** Use (核销) of a land/wetland indicator or retirement (注销) of carbon credits. Irreversible. */
export function ConsumeForm({ holding, instrument, onClose }: ConsumeFormProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const kind = holding.indicatorType === 'carbon_sink' ? 'retire' : 'use';
  const consume = useConsumeIndicator();
  // One request id per filled-in form: a double click or a retry cannot consume twice.
  const [requestId, setRequestId] = useState(newRequestId);
  const [quantity, setQuantity] = useState('');
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [attempted, setAttempted] = useState(false);
  const qp = quantityPlaces(instrument, holding.unit);
  const lot = instrument?.lotSize ?? (qp === 0 ? '1' : '0.01');

  const quantityError = (() => {
    if (!attempted) return null;
    if (!isDecimalString(quantity) || dec(quantity).lessThanOrEqualTo(0)) return t('order.errors.quantityFormat');
    if (!dec(quantity).modulo(lot).isZero()) return t('order.errors.quantityLot', { lot });
    if (dec(quantity).greaterThan(holding.available)) return t('order.errors.insufficientHoldings', { have: holding.available });
    return null;
  })();
  const required = (v: string) => (attempted && v.trim().length < 2 ? t('operator.required') : null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (quantityError !== null || !isDecimalString(quantity) || first.trim().length < 2 || second.trim().length < 2) return;
    if (dec(quantity).greaterThan(holding.available) || !dec(quantity).modulo(lot).isZero()) return;
    const base = { symbol: holding.symbol, quantity: quantity.trim(), requestId };
    consume.mutate(
      kind === 'use'
        ? { kind, ...base, projectName: first.trim(), approvalRef: second.trim() }
        : { kind, ...base, beneficiary: first.trim(), reason: second.trim() },
      {
        onSuccess: () => {
          setRequestId(newRequestId());
          setQuantity('');
          setFirst('');
          setSecond('');
          setAttempted(false);
        },
      },
    );
  };

  const title = t(kind === 'use' ? 'registry.useTitle' : 'registry.retireTitle', { symbol: holding.symbol });
  return (
    <form className="form consume-form" onSubmit={submit} noValidate aria-label={title} data-testid="consume-form">
      <h3 className="amend-form__title">{title}</h3>
      <p className="notice notice--warn">{t('registry.irreversible')}</p>
      <div className="form__row">
        <Field
          label={t('order.quantity', { unit: unitLabel(holding.unit, lang) })}
          hint={`${t('account.available')} ${formatQuantity(holding.available, holding.unit, lang, qp)}`}
          error={quantityError}
        >
          <input name="consumeQuantity" inputMode="decimal" value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        </Field>
        <Field label={t(kind === 'use' ? 'registry.projectName' : 'registry.beneficiary')} error={required(first)}>
          <input name={kind === 'use' ? 'projectName' : 'beneficiary'} value={first} onChange={(e) => setFirst(e.target.value)} />
        </Field>
        <Field label={t(kind === 'use' ? 'registry.approvalRef' : 'registry.reason')} error={required(second)}>
          <input name={kind === 'use' ? 'approvalRef' : 'reason'} value={second} onChange={(e) => setSecond(e.target.value)} />
        </Field>
      </div>
      <ErrorNotice error={consume.error} />
      {consume.data ? <SuccessNotice>{t('registry.done', { certificateNo: consume.data.certificateNo })}</SuccessNotice> : null}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={consume.isPending}>
          {t(kind === 'use' ? 'registry.use' : 'registry.retire')}
        </button>
        <button type="button" className="btn" onClick={onClose}>{t('openOrders.close')}</button>
      </div>
    </form>
  );
}
