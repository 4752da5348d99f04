import { useTranslation } from 'react-i18next';
import type { ControlledLot } from '../../../../../contract/lot-controls.ts';
import { formatDateTime, unitLabel } from '../../../shared/format/number.ts';

/** A lot's open freeze (who froze what, why) or its revocation with the buyers it flags. */
export function LotControlSummary({ lot }: { lot: ControlledLot }) {
  const { t, i18n } = useTranslation();
  const qty = (q: string) => `${q} ${unitLabel(lot.unit, i18n.language)}`;
  if (lot.revocation) {
    const r = lot.revocation;
    return (
      <div data-testid="revocation-flag">
        <div>{t('lotControls.revokedLine', { by: r.revokedBy, at: formatDateTime(r.revokedAt, i18n.language), quantity: qty(r.removedQuantity), reason: r.reason })}</div>
        <div className={r.onward.length > 0 ? 'field__error' : 'muted'}>
          {r.onward.length > 0
            ? t('lotControls.onward', { items: r.onward.map((o) => `${o.participant} ${qty(o.quantity)}（${t(`lotControls.onwardStatus.${o.status}`)}）`).join('；') })
            : t('lotControls.noOnward')}
        </div>
      </div>
    );
  }
  if (lot.freeze) {
    const f = lot.freeze;
    return (
      <div data-testid="freeze-summary">
        <div>{t('lotControls.frozenLine', { by: f.frozenBy, at: formatDateTime(f.frozenAt, i18n.language), reason: t(`lotControls.reasons.${f.reason}`), note: f.note })}</div>
        <div className="muted">{t('lotControls.frozenPieces', { pieces: f.pieces.map((p) => `${p.participant} ${qty(p.quantity)}`).join('；') || '—' })}</div>
      </div>
    );
  }
  return <span className="muted">—</span>;
}
