import type { Knex } from 'knex';
import type { FailureCode } from '../../contract/listing-rules.ts';
import { dec } from '../shared/decimal.ts';
import { hasPendingObjection } from './listing-rule-store.ts';
import type { ListingRow, RegistrationRow } from './listing-store.ts';

// When a listing fails (流拍) at its close, and when its close must wait.

export interface ListingFailure {
  code: FailureCode;
  reason: string;
}

/**
 * Why the close fails the listing, or null when its best bid wins: fewer bidders registered (and
 * still in) than the listing requires, no valid bid, or a best bid short of the reserve (保留价).
 */
export function listingFailure(row: ListingRow, registrations: RegistrationRow[], clearing: string | null): ListingFailure | null {
  const bidders = registrations.filter((r) => r.status === 'active').length;
  if (bidders < row.min_bidders) return { code: 'too_few_bidders', reason: `${bidders} registered bidders, fewer than the ${row.min_bidders} the listing requires` };
  if (clearing === null) return { code: 'no_bid', reason: 'no bid at or above the start price' };
  if (row.reserve_price !== null && dec(clearing).lt(row.reserve_price)) return { code: 'reserve_not_met', reason: 'the best bid did not reach the reserve price' };
  return null;
}

/**
 * A close waits while an objection is undecided (bidding is suspended until the answer, as the
 * tendering rules require) and while a reached cap awaits its draw (the draw closes the listing).
 */
export async function closeHeld(sql: Knex | Knex.Transaction, row: ListingRow): Promise<boolean> {
  return row.cap_reached_at !== null || (await hasPendingObjection(sql, row.id));
}
