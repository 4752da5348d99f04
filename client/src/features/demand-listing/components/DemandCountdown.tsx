import { useTranslation } from 'react-i18next';
import type { DemandListing } from '../../../../../contract/demand-listings.ts';
import { countdownTarget, formatCountdown } from '../model/demand-model.ts';

/** Time to the next window change; offers near the close move it (anti-sniping), and that is said. */
export function DemandCountdown({ listing, now }: { listing: DemandListing; now: number }) {
  const { t } = useTranslation();
  const target = countdownTarget(listing, now);
  if (!target) return <span className="muted">—</span>;
  return (
    <span className="countdown" data-testid="demand-countdown" data-kind={target.kind}>
      <span className="countdown__label">{t(`demand.countdown.${target.kind}`)}</span>{' '}
      <span className="countdown__time mono">{formatCountdown(new Date(target.at).getTime() - now, t('demand.dayUnit'))}</span>
      {listing.extensions > 0 && target.kind === 'biddingCloses' ? <span className="countdown__extended"> {t('demand.extended', { count: listing.extensions })}</span> : null}
    </span>
  );
}
