import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatDateTime, formatDecimal, formatQuantity } from '../../../shared/format/number.ts';
import { Link } from '../../../shared/router/hash-router.tsx';
import type { Listing } from '../api/types.ts';
import { phaseAt } from '../model/listing-rules.ts';
import { ListingCountdown } from './ListingCountdown.tsx';
import { ListingPhaseBadge } from './ListingPhaseBadge.tsx';

interface ListingTableProps {
  listings: readonly Listing[];
  instruments: readonly Instrument[];
  now: number;
  caption: string;
  emptyText: string;
  testId: string;
}

/** Listings one row each: what is offered, on what terms, when, and where the bidding stands. */
export function ListingTable({ listings, instruments, now, caption, emptyText, testId }: ListingTableProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const instrumentOf = (symbol: string) => instruments.find((i) => i.symbol === symbol);
  return (
    <div className="scroll-box" tabIndex={0} role="region" aria-label={caption}>
      <table className="table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('listing.title')}</th>
            <th scope="col">{t('listing.instrument')}</th>
            <th scope="col" className="num">{t('listing.quantity')}</th>
            <th scope="col" className="num">{t('listing.startPrice')}</th>
            <th scope="col" className="num">{t('listing.increment')}</th>
            <th scope="col" className="num">{t('listing.marginPct')}</th>
            <th scope="col">{t('listing.windows')}</th>
            <th scope="col" className="num">{t('listing.bestBid')}</th>
            <th scope="col">{t('listing.phase')}</th>
            <th scope="col">{t('listing.timeLeft')}</th>
          </tr>
        </thead>
        <tbody>
          {listings.length === 0 ? (
            <tr>
              <td colSpan={10} className="muted center">{emptyText}</td>
            </tr>
          ) : (
            listings.map((l) => {
              const instrument = instrumentOf(l.symbol);
              const pp = pricePlaces(instrument);
              const phase = phaseAt(l, now);
              const best = l.status === 'open' ? l.bestPrice : l.clearingPrice;
              return (
                <tr key={l.id} data-listing-id={l.id} data-phase={phase}>
                  <td className="wrap">
                    <Link to={`/listings/${l.id}`}>{l.title}</Link>
                    <div className="muted small">
                      {l.seller.name} · {t(`listing.modes.${l.mode}`)}
                    </div>
                  </td>
                  <td>
                    <span className="mono">{l.symbol}</span>
                    <div className="muted small">{l.instrumentName}</div>
                  </td>
                  <td className="num">{formatQuantity(l.quantity, l.unit, lang, quantityPlaces(instrument, l.unit))}</td>
                  <td className="num">{formatDecimal(l.startPrice, pp)}</td>
                  <td className="num">{l.bidIncrement ? formatDecimal(l.bidIncrement, pp) : '—'}</td>
                  <td className="num">{formatDecimal(l.marginPct, 0)}%</td>
                  <td className="small">
                    <div>{t('listing.registrationShort')} {formatDateTime(l.registrationOpensAt, lang)} – {formatDateTime(l.registrationClosesAt, lang)}</div>
                    <div>{t('listing.biddingShort')} {formatDateTime(l.biddingOpensAt, lang)} – {formatDateTime(l.biddingClosesAt, lang)}</div>
                  </td>
                  <td className="num" data-testid="listing-best">
                    {best ? formatDecimal(best, pp) : l.mode === 'sealed' && l.status === 'open' ? t('listing.sealedHidden') : '—'}
                  </td>
                  <td>
                    <ListingPhaseBadge phase={phase} />
                  </td>
                  <td>
                    <ListingCountdown listing={l} now={now} />
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
