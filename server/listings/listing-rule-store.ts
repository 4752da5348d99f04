import type { Knex } from 'knex';

// SQL for objections, cap acceptances and lottery draws (migration 20261207000300).

type Sql = Knex | Knex.Transaction;

export interface ObjectionRow {
  id: string;
  listing_id: string;
  participant_id: string;
  user_id: string;
  reason: string;
  created_at: Date;
  outcome: 'upheld' | 'dismissed' | null;
  decision_reason: string | null;
  decided_at: Date | null;
}

export interface AcceptanceRow {
  id: string;
  listing_id: string;
  registration_id: string;
  bid_id: string;
  created_at: Date;
}

export interface LotteryRow {
  listing_id: string;
  seed: string;
  commitment: string;
  entrants: string[];
  digest: string;
  winner_index: number;
  winner_registration_id: string;
  drawn_by: string;
  drawn_at: Date;
}

export const objectionsOf = (sql: Sql, listingId: string) =>
  sql('listing_objections as o')
    .leftJoin('listing_objection_decisions as d', 'd.objection_id', 'o.id')
    .where('o.listing_id', listingId)
    .orderBy('o.id')
    .select<ObjectionRow[]>('o.*', 'd.outcome', 'd.reason as decision_reason', 'd.decided_at');

export const objectionOf = async (sql: Sql, id: string): Promise<ObjectionRow | undefined> =>
  sql('listing_objections as o')
    .leftJoin('listing_objection_decisions as d', 'd.objection_id', 'o.id')
    .where('o.id', id)
    .first<ObjectionRow | undefined>('o.*', 'd.outcome', 'd.reason as decision_reason', 'd.decided_at');

/** Whether an objection to the listing awaits the operator's decision. */
export async function hasPendingObjection(sql: Sql, listingId: string): Promise<boolean> {
  const row = await sql('listing_objections as o')
    .leftJoin('listing_objection_decisions as d', 'd.objection_id', 'o.id')
    .where('o.listing_id', listingId)
    .whereNull('d.objection_id')
    .first('o.id');
  return row !== undefined;
}

export const insertObjection = async (trx: Knex.Transaction, row: Omit<ObjectionRow, 'id' | 'outcome' | 'decision_reason' | 'decided_at'>) =>
  (await trx('listing_objections').insert(row).returning<Array<{ id: string }>>('id'))[0]!.id;

export const insertDecision = (trx: Knex.Transaction, row: { objection_id: string; outcome: 'upheld' | 'dismissed'; reason: string; decided_by: string; decided_at: Date }) =>
  trx('listing_objection_decisions').insert(row);

export const acceptancesOf = (sql: Sql, listingId: string) => sql('listing_cap_acceptances').where({ listing_id: listingId }).orderBy('id').select<AcceptanceRow[]>('*');

export const insertAcceptance = (trx: Knex.Transaction, row: Omit<AcceptanceRow, 'id'>) => trx('listing_cap_acceptances').insert(row);

export const lotteryOf = (sql: Sql, listingId: string) => sql('listing_lotteries').where({ listing_id: listingId }).first<LotteryRow | undefined>();

export const insertLottery = (trx: Knex.Transaction, row: LotteryRow) => trx('listing_lotteries').insert(row);

export const relistOf = (sql: Sql, listingId: string) => sql('listings').where({ relist_of: listingId }).first<{ id: string } | undefined>('id');

/** The SQL condition a listing's close waits on: no objection pending, no cap lottery undrawn. */
export const CLOSE_NOT_HELD = `NOT EXISTS (SELECT 1 FROM listing_objections o LEFT JOIN listing_objection_decisions d ON d.objection_id = o.id
   WHERE o.listing_id = listings.id AND d.objection_id IS NULL) AND listings.cap_reached_at IS NULL`;

export interface ListingSettingsRow {
  listing_relist_step_pct: string;
  listing_results_working_days: number;
}

export const listingSettingsOf = (sql: Sql, symbol: string) =>
  sql('instruments').where({ symbol }).first<ListingSettingsRow | undefined>('listing_relist_step_pct', 'listing_results_working_days');

export const updateListingSettings = (trx: Knex.Transaction, symbol: string, next: ListingSettingsRow) => trx('instruments').where({ symbol }).update(next);

export interface QueuedObjectionRow extends ObjectionRow {
  title: string;
  symbol: string;
  listing_status: string;
  objector: string;
}

/** Objections for the operator's desk, oldest first; only undecided ones unless `all`. */
export function objectionQueue(sql: Sql, all: boolean, limit: number): Promise<QueuedObjectionRow[]> {
  const q = sql('listing_objections as o')
    .leftJoin('listing_objection_decisions as d', 'd.objection_id', 'o.id')
    .join('listings as l', 'l.id', 'o.listing_id')
    .join('participants as p', 'p.id', 'o.participant_id')
    .orderBy('o.id', all ? 'desc' : 'asc')
    .limit(limit)
    .select<QueuedObjectionRow[]>('o.*', 'd.outcome', 'd.reason as decision_reason', 'd.decided_at', 'l.title', 'l.symbol', 'l.status as listing_status', 'p.name as objector');
  if (!all) q.whereNull('d.objection_id');
  return q;
}
