import { useTranslation } from 'react-i18next';
import type { ListingPhase } from '../api/types.ts';

export function ListingPhaseBadge({ phase }: { phase: ListingPhase }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--listing-${phase}`} data-phase={phase}>
      {t(`listing.phases.${phase}`)}
    </span>
  );
}
