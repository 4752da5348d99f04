import { useTranslation } from 'react-i18next';
import type { Listing } from '../api/types.ts';
import { countdownTarget, extensionSeconds, formatDuration, splitDuration } from '../model/listing-rules.ts';

interface ListingCountdownProps {
  listing: Listing;
  now: number;
  /** Also say how often and how far anti-sniping moved the close. */
  showExtensions?: boolean;
}

/** Time to the next window change; bids near the close move it (anti-sniping), and that is shown. */
export function ListingCountdown({ listing, now, showExtensions = false }: ListingCountdownProps) {
  const { t } = useTranslation();
  const target = countdownTarget(listing, now);
  if (!target) return <span className="muted">—</span>;
  const left = formatDuration(splitDuration(new Date(target.at).getTime() - now), t('listing.dayUnit'));
  const extended = listing.extensions > 0 && target.kind === 'biddingCloses';
  return (
    <span className="countdown" data-testid="listing-countdown" data-kind={target.kind}>
      <span className="countdown__label">{t(`listing.countdown.${target.kind}`)}</span>{' '}
      <span className="countdown__time mono">{left}</span>
      {extended ? (
        <span className="countdown__extended" data-testid="listing-extended">
          {' '}
          {showExtensions
            ? t('listing.extendedBy', { count: listing.extensions, minutes: Math.ceil(extensionSeconds(listing) / 60) })
            : t('listing.extended')}
        </span>
      ) : null}
    </span>
  );
}
