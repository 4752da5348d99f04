import type { Knex } from 'knex';
import { dec } from '../shared/decimal.ts';
import type { ListingMode } from './listing-rules.ts';
import type { ScheduleColumns } from './listing-schedule.ts';

type Sql = Knex | Knex.Transaction;

export interface ListingRow extends ScheduleColumns {
  id: string;
  symbol: string;
  seller_id: string;
  created_by: string;
  title: string;
  description: string | null;
  mode: ListingMode;
  quantity: string;
  start_price: string;
  guidance_price: string;
  bid_increment: string | null;
  margin_pct: string;
  seller_reservation_id: string;
  best_bid_id: string | null;
  clearing_price: string | null;
  sold_quantity: string | null;
  result_reason: string | null;
  cancel_reason: string | null;
  created_at: Date;
  closed_at: Date | null;
  price_cap: string | null;
  cap_pct: string | null;
  cap_window_minutes: number | null;
  seed_commitment: string | null;
  cap_reached_at: Date | null;
  min_bidders: number;
  reserve_price: string | null;
  failure_code: 'no_bid' | 'too_few_bidders' | 'reserve_not_met' | 'unpaid' | null;
  relist_of: string | null;
}

export interface RegistrationRow {
  id: string;
  listing_id: string;
  participant_id: string;
  user_id: string;
  bidder_no: number;
  quantity: string;
  margin: string;
  reservation_id: string;
  status: 'active' | 'won' | 'lost' | 'withdrawn';
  created_at: Date;
}

export interface BidRow {
  id: string;
  listing_id: string;
  registration_id: string;
  user_id: string;
  price: string;
  quantity: string;
  created_at: Date;
}

export interface AwardRow {
  id: string;
  listing_id: string;
  registration_id: string;
  bid_id: string;
  price: string;
  quantity: string;
  seller_reservation_id: string | null;
  trade_id: string | null;
  status: 'pending' | 'traded' | 'void';
  void_reason: string | null;
}

export const findListing = (sql: Sql, id: string) => sql('listings').where({ id }).first<ListingRow | undefined>();

export const lockListing = (trx: Knex.Transaction, id: string) => trx('listings').where({ id }).forUpdate().first<ListingRow | undefined>();

/** The listing as it stands, held against a close (which takes FOR UPDATE) until the transaction ends. */
export const shareListing = (trx: Knex.Transaction, id: string) => trx('listings').where({ id }).forShare().first<ListingRow | undefined>();

export const registrationsOf = (sql: Sql, listingId: string) => sql('listing_registrations').where({ listing_id: listingId }).orderBy('bidder_no').select<RegistrationRow[]>('*');

export const registrationOf = (sql: Sql, listingId: string, participantId: string) =>
  sql('listing_registrations').where({ listing_id: listingId, participant_id: participantId }).first<RegistrationRow | undefined>();

export const bidsOf = (sql: Sql, listingId: string) => sql('listing_bids').where({ listing_id: listingId }).orderBy('id').select<BidRow[]>('*');

export const awardsOf = (sql: Sql, listingId: string) => sql('listing_awards').where({ listing_id: listingId }).orderBy('id').select<AwardRow[]>('*');

/** Each active registration's standing bid: its latest (sealed bids can be replaced before the close). */
export function standingBids(registrations: RegistrationRow[], bids: BidRow[]): Map<string, BidRow> {
  const active = new Set(registrations.filter((r) => r.status === 'active').map((r) => r.id));
  const out = new Map<string, BidRow>();
  for (const bid of bids) if (active.has(bid.registration_id)) out.set(bid.registration_id, bid);
  return out;
}

/**
 * The best open bid among bidders still registered. Normally the listing's best_bid_id; if its
 * bidder was withdrawn (suspended), the highest bid of anyone else who is still in.
 */
export function bestOpenBid(registrations: RegistrationRow[], bids: BidRow[]): BidRow | null {
  const active = new Set(registrations.filter((r) => r.status === 'active' || r.status === 'won').map((r) => r.id));
  let best: BidRow | null = null;
  for (const bid of bids) {
    if (!active.has(bid.registration_id)) continue;
    // Bids only ever rise, so among equals the earlier stays best.
    if (!best || dec(bid.price).gt(best.price)) best = bid;
  }
  return best;
}
