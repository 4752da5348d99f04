import type { Knex } from 'knex';
import type { ListingMinimums } from '../../contract/listing-windows.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../engine/commands.ts';
import { notFound } from '../errors.ts';

// The operator's least window lengths per instrument, in working days (see contract/listing-windows.ts).

type Sql = Knex | Knex.Transaction;

interface MinimumsRow {
  listing_min_registration_days: number;
  listing_min_bidding_days: number;
}

const toMinimums = (row: MinimumsRow): ListingMinimums => ({ registrationWorkingDays: row.listing_min_registration_days, biddingWorkingDays: row.listing_min_bidding_days });

/**
 * The instrument's minimums; inside a transaction `FOR SHARE`, so an operator's change waits for
 * a listing being created under the old ones, and a listing created after it sees the new ones.
 */
export async function listingMinimumsOf(sql: Sql, symbol: string, lock = false): Promise<ListingMinimums> {
  const q = sql('instruments').where({ symbol }).first<MinimumsRow | undefined>('listing_min_registration_days', 'listing_min_bidding_days');
  const row = await (lock ? q.forShare() : q);
  if (!row) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
  return toMinimums(row);
}

export async function allListingMinimums(sql: Sql): Promise<Map<string, ListingMinimums>> {
  const rows = await sql('instruments').select<Array<MinimumsRow & { symbol: string }>>('symbol', 'listing_min_registration_days', 'listing_min_bidding_days');
  return new Map(rows.map((r) => [r.symbol, toMinimums(r)]));
}

/** Sets an instrument's minimums, audited; listings already made keep their windows. */
export async function setListingMinimums(knex: Knex, actor: Actor, symbol: string, next: ListingMinimums, at: Date): Promise<ListingMinimums> {
  return knex.transaction(async (trx) => {
    const previous = await trx('instruments').where({ symbol }).forUpdate().first<MinimumsRow | undefined>('listing_min_registration_days', 'listing_min_bidding_days');
    if (!previous) throw notFound('UNKNOWN_SYMBOL', `no instrument ${symbol}`);
    await trx('instruments').where({ symbol }).update({ listing_min_registration_days: next.registrationWorkingDays, listing_min_bidding_days: next.biddingWorkingDays });
    await appendAudit(trx, [
      { actorUserId: actor.userId, actor: actor.username, action: 'instrument.listingMinimums', subject: `instrument:${symbol}`, payload: { symbol, previous: toMinimums(previous), ...next }, at },
    ]);
    return next;
  });
}
