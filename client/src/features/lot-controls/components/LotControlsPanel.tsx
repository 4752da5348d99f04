import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ControlledLot, FreezeReason } from '../../../../../contract/lot-controls.ts';
import { ConfirmDialog } from '../../../shared/components/ConfirmDialog.tsx';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { formatDateTime, unitLabel } from '../../../shared/format/number.ts';
import { useControlLot, useControlledLots } from '../api/lot-controls.ts';
import { LotControlSummary } from './LotControlSummary.tsx';

type Action = 'freeze' | 'unfreeze' | 'revoke';

// The reasons contract/lot-controls.ts accepts; the type keeps the two lists the same.
const FREEZE_REASONS: readonly FreezeReason[] = ['court_order', 'dispute', 'pledge'];

interface Draft {
  lot: ControlledLot;
  action: Action;
}

/**
 * Lots with their freezes and revocations, for operators and regulators: 冻结 and 解冻 for both,
 * 撤销 for the operator only (the server decides; `canRevoke` only hides the button). Each action
 * asks for its reason, then shows what will happen in a confirm step before anything is sent.
 */
export function LotControlsPanel({ canRevoke }: { canRevoke: boolean }) {
  const { t, i18n } = useTranslation();
  const lots = useControlledLots();
  const control = useControlLot();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [reason, setReason] = useState<FreezeReason>('court_order');
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const qty = (lot: ControlledLot, q: string) => `${q} ${unitLabel(lot.unit, i18n.language)}`;

  const start = (lot: ControlledLot, action: Action) => {
    control.reset();
    setDone(null);
    setText('');
    setMissing(false);
    setDraft({ lot, action });
  };
  const send = (d: Draft) => {
    const body = text.trim();
    const request = d.action === 'freeze' ? { action: d.action, lotId: d.lot.id, body: { reason, note: body } } : d.action === 'unfreeze' ? { action: d.action, lotId: d.lot.id, body: { note: body } } : { action: d.action, lotId: d.lot.id, body: { reason: body } };
    control.mutate(request, {
      onSuccess: () => {
        setDone(t(`lotControls.done.${d.action}`));
        setDraft(null);
      },
      onSettled: () => setAsking(false),
    });
  };

  const actions = (lot: ControlledLot) => {
    if (lot.status === 'revoked') return null;
    const button = (action: Action, danger: boolean) => (
      <button type="button" className={`btn btn--small${danger ? ' btn--danger' : ''}`} aria-label={`${t(`lotControls.${action}`)} ${lot.verificationRef}`} onClick={() => start(lot, action)}>
        {t(`lotControls.${action}`)}
      </button>
    );
    return (
      <span className="actions">
        {lot.status === 'frozen' ? button('unfreeze', false) : button('freeze', true)}
        {canRevoke && lot.status === 'normal' ? button('revoke', true) : null}
      </span>
    );
  };

  const piecesText = (lot: ControlledLot) => (lot.freeze?.pieces ?? []).map((p) => `${p.participant} ${qty(lot, p.quantity)}`).join('；') || '—';

  return (
    <div data-testid="lot-controls">
      <DataTable
        testId="lot-controls-table"
        scroll="tall"
        caption={t('lotControls.caption')}
        emptyText={t('lotControls.empty')}
        rows={lots.data}
        loading={lots.isPending}
        rowKey={(l) => l.id}
        rowProps={(l) => ({ 'data-lot-id': l.id, 'data-verification-ref': l.verificationRef, 'data-status': l.status })}
        columns={[
          { id: 'id', header: t('lot.id'), className: 'mono', cell: (l) => l.id },
          { id: 'ref', header: t('lot.verificationRef'), className: 'mono small', cell: (l) => l.verificationRef },
          { id: 'symbol', header: t('operator.instrument'), className: 'mono', cell: (l) => l.symbol },
          { id: 'quantity', header: t('instrument.quantity'), align: 'number', cell: (l) => qty(l, l.quantity) },
          { id: 'registrant', header: t('lotControls.columnRegistrant'), cell: (l) => l.registrant },
          { id: 'status', header: t('lotControls.columnStatus'), cell: (l) => <span className={`lot-status lot-status--${l.status}`}>{t(`lotControls.status.${l.status}`)}</span> },
          { id: 'control', header: t('lotControls.columnControl'), className: 'small', cell: (l) => <LotControlSummary lot={l} /> },
          { id: 'actions', header: t('lotControls.columnActions'), className: 'actions', cell: actions },
        ]}
      />
      <ErrorNotice error={lots.error} />
      {done ? <SuccessNotice>{done}</SuccessNotice> : null}
      {draft ? (
        <form
          className="form"
          data-testid="lot-control-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim().length < 2) {
              setMissing(true);
              return;
            }
            setMissing(false);
            setAsking(true);
          }}
        >
          <h3>
            {t(`lotControls.${draft.action}`)} · <span className="mono">{draft.lot.verificationRef}</span>
          </h3>
          {draft.action === 'freeze' ? (
            <Field label={t('lotControls.reason')}>
              <select name="reason" value={reason} onChange={(e) => setReason(e.target.value as FreezeReason)}>
                {FREEZE_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {t(`lotControls.reasons.${r}`)}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          <Field label={t(draft.action === 'freeze' ? 'lotControls.note' : draft.action === 'unfreeze' ? 'lotControls.unfreezeNote' : 'lotControls.revokeReason')} error={missing ? t('lotControls.textRequired') : undefined}>
            <input name="text" value={text} placeholder={draft.action === 'freeze' ? t('lotControls.notePlaceholder') : undefined} aria-invalid={missing ? true : undefined} onChange={(e) => setText(e.target.value)} />
          </Field>
          <div className="form__actions">
            <button type="button" className="btn" onClick={() => setDraft(null)}>
              {t('confirm.cancel')}
            </button>
            <button type="submit" className={`btn ${draft.action === 'unfreeze' ? 'btn--primary' : 'btn--danger'}`}>
              {t(`lotControls.${draft.action}`)}
            </button>
          </div>
          <ErrorNotice error={control.error} />
        </form>
      ) : null}
      {draft && asking ? (
        <ConfirmDialog
          testId="lot-control-confirm"
          title={t(`lotControls.confirm${draft.action === 'freeze' ? 'Freeze' : draft.action === 'unfreeze' ? 'Unfreeze' : 'Revoke'}`, { ref: draft.lot.verificationRef })}
          confirmLabel={t(`lotControls.${draft.action}`)}
          danger={draft.action !== 'unfreeze'}
          busy={control.isPending}
          onCancel={() => setAsking(false)}
          onConfirm={() => send(draft)}
        >
          <p>
            {draft.action === 'freeze'
              ? t('lotControls.freezeSummary', { ref: draft.lot.verificationRef, quantity: qty(draft.lot, draft.lot.quantity), registrant: draft.lot.registrant, reason: t(`lotControls.reasons.${reason}`), note: text.trim() })
              : draft.action === 'unfreeze'
                ? t('lotControls.unfreezeSummary', { pieces: piecesText(draft.lot), note: text.trim() })
                : t('lotControls.revokeSummary', { registrant: draft.lot.registrant, reason: text.trim() })}
          </p>
          {draft.lot.freeze ? <p className="small muted">{formatDateTime(draft.lot.freeze.frozenAt, i18n.language)}</p> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
