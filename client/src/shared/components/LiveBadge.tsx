import { useTranslation } from 'react-i18next';
import type { LiveStatus } from '../socket/live-stream.ts';

export function LiveBadge({ status }: { status: LiveStatus }) {
  const { t } = useTranslation();
  const label = t(`live.${status}`);
  return (
    <span className={`live live--${status}`} role="status" aria-label={t('live.label', { status: label })} data-live={status}>
      <span className="live__dot" aria-hidden="true" />
      {label}
    </span>
  );
}
