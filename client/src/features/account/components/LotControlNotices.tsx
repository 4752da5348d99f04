import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { formatDateTime, unitLabel } from '../../../shared/format/number.ts';
import { useOwnLotControls } from '../api/lot-controls.ts';

/**
 * Why part of the holder's quantity is not available: each frozen lot with its reason, and each
 * revoked lot with what was taken back. Shown only when there is something to say.
 */
export function LotControlNotices() {
  const { t, i18n } = useTranslation();
  const controls = useOwnLotControls();
  if (controls.error) return <ErrorNotice error={controls.error} />;
  if (!controls.data) return null;
  // Loaded and empty: a marker (not shown) so a reader can tell 'nothing frozen' from 'not loaded yet'.
  if (controls.data.length === 0) return <div data-testid="holder-lot-controls" data-count="0" hidden />;
  return (
    <Panel title={t('lotControls.holderTitle')} testId="holder-lot-controls-panel">
      <ul className="notice-list" data-testid="holder-lot-controls" data-count={controls.data.length}>
        {controls.data.map((c) => {
          const quantity = `${c.quantity} ${unitLabel(c.unit, i18n.language)}`;
          return (
            <li key={`${c.status}-${c.lotId}`} className={c.status === 'frozen' ? 'notice notice--warn' : 'notice notice--error'} data-lot-id={c.lotId} data-status={c.status}>
              <strong>{t(`lotControls.status.${c.status}`)}</strong>{' '}
              {c.status === 'frozen'
                ? t('lotControls.holderFrozen', { ref: c.verificationRef, quantity, reason: t(`lotControls.reasons.${c.reason}`, { defaultValue: c.reason }), note: c.note ?? '' })
                : t('lotControls.holderRevoked', { ref: c.verificationRef, quantity, reason: c.reason })}{' '}
              <span className="muted small">{formatDateTime(c.at, i18n.language)}</span>
            </li>
          );
        })}
      </ul>
    </Panel>
  );
}
