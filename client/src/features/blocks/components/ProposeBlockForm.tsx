import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, Instrument, Side } from '../../../shared/api/types.ts';
import { Field } from '../../../shared/components/Field.tsx';
import { Figures } from '../../../shared/components/Figures.tsx';
import { InstrumentSelect } from '../../../shared/components/InstrumentSelect.tsx';
import { SubmitBlock } from '../../../shared/components/SubmitBlock.tsx';
import { useDraftForm } from '../../../shared/hooks/use-draft-form.ts';
import { quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatQuantity, unitLabel } from '../../../shared/format/number.ts';
import { useCounterparties, useProposeBlock } from '../api/blocks.ts';
import type { Block } from '../../../../../contract/blocks.ts';
import { assessBlockDraft, blockBand, type BlockDraft, type BlockError, type BlockField } from '../model/block-rules.ts';

interface ProposeBlockFormProps {
  instruments: readonly Instrument[];
  account: Account | undefined;
}

const emptyDraft = (symbol: string, side: Side = 'buy'): BlockDraft => ({ symbol, side, counterpartyId: '', price: '', quantity: '', note: '' });

/** 发起大宗协议: terms agreed off the book, sent to the counterparty to confirm. */
export function ProposeBlockForm({ instruments, account }: ProposeBlockFormProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const counterparties = useCounterparties();
  const propose = useProposeBlock();
  const { draft, attempted, done: proposed, set, attempt, succeeded } = useDraftForm<BlockDraft, Block>(() => emptyDraft(instruments[0]?.symbol ?? ''), propose);

  const instrument = instruments.find((i) => i.symbol === draft.symbol) ?? instruments[0];
  if (!instrument) return null;
  const holding = account?.holdings.find((h) => h.symbol === instrument.symbol);
  const assessment = assessBlockDraft(instrument, draft, {
    kind: account?.participant.kind,
    cashAvailable: account ? account.cash.available : null,
    holdingAvailable: account ? (holding?.available ?? '0') : null,
    holdingFrozen: holding?.frozen ?? null,
  });
  const band = blockBand(instrument);
  const unit = unitLabel(instrument.unit, lang);
  const text = (e: BlockError | undefined) => (e ? t(`block.errors.${e.key}`, 'values' in e ? e.values : {}) : null);
  const errorOf = (field: BlockField) => (attempted ? text(assessment.errors.find((e) => e.field === field)) : null);

  const submit = (e: FormEvent) => {
    if (!attempt(e, assessment.errors.length === 0)) return;
    propose.mutate(
      { symbol: instrument.symbol, side: draft.side, counterpartyId: draft.counterpartyId, price: draft.price.trim(), quantity: draft.quantity.trim(), ...(draft.note.trim() ? { note: draft.note.trim() } : {}) },
      { onSuccess: (block) => succeeded(block, emptyDraft(instrument.symbol, draft.side)) },
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('block.proposeHeading')} data-testid="propose-block-form">
      <div className="form__row">
        <Field label={t('block.instrument')}>
          <InstrumentSelect instruments={instruments} value={instrument.symbol} onChange={(symbol) => set({ symbol, price: '', quantity: '' })} />
        </Field>
        <Field label={t('block.mySide')} error={errorOf('side')}>
          <select name="side" value={draft.side} onChange={(e) => set({ side: e.target.value as Side })}>
            <option value="buy">{t('block.iBuy')}</option>
            <option value="sell">{t('block.iSell')}</option>
          </select>
        </Field>
      </div>
      <Field label={t('block.counterparty')} error={errorOf('counterparty')}>
        <select name="counterpartyId" value={draft.counterpartyId} onChange={(e) => set({ counterpartyId: e.target.value })}>
          <option value="">{t('block.chooseCounterparty')}</option>
          {(counterparties.data ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} · {c.region}
            </option>
          ))}
        </select>
      </Field>
      <div className="form__row">
        <Field
          label={t('block.priceLabel', { unit })}
          error={errorOf('price')}
          hint={t('block.bandHint', { low: formatCny(band.low), high: formatCny(band.high) })}
        >
          <input name="price" inputMode="decimal" autoComplete="off" value={draft.price} onChange={(e) => set({ price: e.target.value })} />
        </Field>
        <Field
          label={t('block.quantityLabel', { unit })}
          error={errorOf('quantity')}
          hint={instrument.blockMinQuantity ? t('block.minimumHint', { min: formatQuantity(instrument.blockMinQuantity, instrument.unit, lang, quantityPlaces(instrument)) }) : null}
        >
          <input name="quantity" inputMode="decimal" autoComplete="off" value={draft.quantity} onChange={(e) => set({ quantity: e.target.value })} />
        </Field>
      </div>
      <Field label={t('block.note')} hint={t('block.noteHint')}>
        <input name="note" maxLength={500} autoComplete="off" value={draft.note} onChange={(e) => set({ note: e.target.value })} />
      </Field>
      <Figures
        items={[
          { id: 'amount', label: t('block.amount'), value: assessment.amount ? formatCny(assessment.amount) : '—', testId: 'block-amount' },
          { id: 'fee', label: t('block.myFee'), value: assessment.fee ? formatCny(assessment.fee) : '—' },
          {
            id: 'locked',
            label: draft.side === 'buy' ? t('block.cashLocked') : t('block.quantityLocked'),
            value:
              draft.side === 'buy'
                ? assessment.cashToLock
                  ? formatCny(assessment.cashToLock)
                  : '—'
                : draft.quantity.trim() && !assessment.errors.some((e) => e.field === 'quantity')
                  ? formatQuantity(draft.quantity.trim(), instrument.unit, lang, quantityPlaces(instrument))
                  : '—',
          },
        ]}
      />
      {errorOf('funds') ? <p className="field__error" role="alert">{errorOf('funds')}</p> : null}
      <SubmitBlock
        note={t('block.proposeNote')}
        label={t('block.proposeSubmit')}
        pendingLabel={t('order.submitting')}
        pending={propose.isPending}
        error={propose.error}
        refusedTitle={t('block.proposeRefused')}
        success={proposed ? <span data-testid="block-proposed" data-block-id={proposed.id}>{t('block.proposed', { id: proposed.id, name: proposed.counterparty.name })}</span> : null}
      />
    </form>
  );
}
