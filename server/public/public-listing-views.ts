import type { PublicAnnouncement, PublicResult } from '../../contract/public-listings.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { listingPhase } from '../listings/listing-rules.ts';
import { fixed } from '../shared/decimal.ts';
import type { AnnouncementRow, ResultRow } from './public-listing-queries.ts';

/** The fields an announcement and a result share: the sale, its instrument and its seller. */
const saleOf = (row: { id: string; title: string; seller: string; mode: 'open' | 'sealed' }, spec: InstrumentSpec) => ({
  id: String(row.id),
  title: row.title,
  symbol: spec.symbol,
  nameZh: spec.row.name_zh,
  name: spec.row.name,
  unit: spec.row.unit,
  seller: row.seller,
  mode: row.mode,
});

export function announcementOf(row: AnnouncementRow, spec: InstrumentSpec, now: Date): PublicAnnouncement {
  const windows = {
    registrationOpensAt: row.registration_opens_at,
    registrationClosesAt: row.registration_closes_at,
    biddingOpensAt: row.bidding_opens_at,
    biddingClosesAt: row.bidding_closes_at,
  };
  const phase = listingPhase('open', windows, now);
  return {
    ...saleOf(row, spec),
    phase: phase as PublicAnnouncement['phase'],
    quantity: fixed(row.quantity, spec.qtyPlaces),
    startPrice: fixed(row.start_price, spec.pricePlaces),
    marginPct: String(Number(row.margin_pct)),
    registrationOpensAt: windows.registrationOpensAt.toISOString(),
    registrationClosesAt: windows.registrationClosesAt.toISOString(),
    biddingOpensAt: windows.biddingOpensAt.toISOString(),
    biddingClosesAt: windows.biddingClosesAt.toISOString(),
  };
}

export function resultOf(row: ResultRow, spec: InstrumentSpec): PublicResult {
  return {
    ...saleOf(row, spec),
    outcome: row.status,
    quantity: fixed(row.quantity, spec.qtyPlaces),
    soldQuantity: fixed(row.sold_quantity ?? '0', spec.qtyPlaces),
    price: row.status === 'awarded' && row.clearing_price !== null ? fixed(row.clearing_price, spec.pricePlaces) : null,
    winners: [...row.winners].sort(),
    closedAt: row.closed_at.toISOString(),
  };
}
