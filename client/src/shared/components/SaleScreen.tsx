import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../format/number.ts';
import { Link } from '../router/hash-router.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';
import { Loading } from './Loading.tsx';

// The pieces a listing auction's screen and a demand listing's screen share: both load one sale,
// head it with its title and current best price, and list its terms with the same two windows.

/** While the sale loads, or when it could not be read: the refusal and the way back to the board. */
export function SaleScreenFallback({ pending, error, back, backLabel }: { pending: boolean; error: unknown; back: string; backLabel: string }) {
  if (pending) return <div className="page"><Loading /></div>;
  return (
    <div className="page">
      <ErrorNotice error={error} />
      <Link to={back}>{backLabel}</Link>
    </div>
  );
}

interface SaleHeaderProps {
  title: string;
  /** Who sells or buys what, under the title. */
  subtitle: ReactNode;
  phase: ReactNode;
  bestLabel: string;
  best: ReactNode;
  bestTestId: string;
  /** Who holds the best price, while the sale is open. */
  bestBy?: ReactNode;
  countdown?: ReactNode;
}

export function SaleHeader({ title, subtitle, phase, bestLabel, best, bestTestId, bestBy, countdown }: SaleHeaderProps) {
  return (
    <div className="listing-header">
      <div>
        <h1 className="page__title">{title}</h1>
        <div className="muted small">{subtitle}</div>
      </div>
      <div className="listing-header__quote">
        {phase}
        <div className="listing-header__best">
          <span className="muted small">{bestLabel}</span>
          <strong data-testid={bestTestId}>{best}</strong>
          {bestBy}
        </div>
        {countdown}
      </div>
    </div>
  );
}

type Windows = { registrationOpensAt: string; registrationClosesAt: string; biddingOpensAt: string; biddingClosesAt: string };

/** The registration and bidding windows as two rows of a sale's terms. */
export function SaleWindowTerms({ sale, registrationLabel, biddingLabel }: { sale: Windows; registrationLabel: string; biddingLabel: string }) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <>
      <div><dt>{registrationLabel}</dt><dd>{formatDateTime(sale.registrationOpensAt, lang)} – {formatDateTime(sale.registrationClosesAt, lang)}</dd></div>
      <div><dt>{biddingLabel}</dt><dd>{formatDateTime(sale.biddingOpensAt, lang)} – {formatDateTime(sale.biddingClosesAt, lang)}</dd></div>
    </>
  );
}
