import type { Knex } from 'knex';
import type { ScheduleColumns } from '../listings/listing-schedule.ts';

// The SQL of demand listings (需求挂牌). Every function takes the handle it runs on, so the
// service decides what shares a transaction.

type Sql = Knex | Knex.Transaction;

export interface DemandRow extends ScheduleColumns {
  id: string;
  symbol: string;
  buyer_id: string;
  created_by: string;
  title: string;
  description: string | null;
  quantity: string;
  start_price: string;
  floor_price: string;
  guidance_price: string;
  decrement: string;
  margin_pct: string;
  buyer_reservation_id: string;
  best_bid_id: string | null;
  clearing_price: string | null;
  result_reason: string | null;
  cancel_reason: string | null;
  created_at: Date;
  closed_at: Date | null;
}

export interface DemandRegistrationRow {
  id: string;
  demand_listing_id: string;
  participant_id: string;
  user_id: string;
  bidder_no: number;
  margin: string;
  reservation_id: string;
  status: 'active' | 'won' | 'lost' | 'withdrawn';
  created_at: Date;
}

export interface DemandBidRow {
  id: string;
  demand_listing_id: string;
  registration_id: string;
  user_id: string;
  price: string;
  quantity_reservation_id: string;
  created_at: Date;
}

export interface DemandAwardRow {
  id: string;
  demand_listing_id: string;
  registration_id: string;
  bid_id: string;
  price: string;
  quantity: string;
  trade_id: string | null;
  status: 'pending' | 'traded' | 'void';
  void_reason: string | null;
}

export type DemandInsert = Omit<DemandRow, 'extensions' | 'status' | 'best_bid_id' | 'clearing_price' | 'result_reason' | 'cancel_reason' | 'closed_at'>;

export const nextDemandId = async (knex: Knex) => String((await knex.raw<{ rows: Array<{ id: string }> }>(`SELECT nextval('demand_listings_id_seq') AS id`)).rows[0]!.id);

export const insertDemand = (trx: Knex.Transaction, row: DemandInsert) => trx('demand_listings').insert(row);

export const findDemand = (sql: Sql, id: string) => sql('demand_listings').where({ id }).first<DemandRow | undefined>();

/** The demand listing, locked: registrations, bids and the close on one listing take turns here. */
export const lockDemand = (trx: Knex.Transaction, id: string) => trx('demand_listings').where({ id }).forUpdate().first<DemandRow | undefined>();

export const updateDemand = (trx: Knex.Transaction, id: string, change: Partial<DemandRow>) => trx('demand_listings').where({ id }).update(change);

export const registrationsOfDemand = (sql: Sql, id: string) => sql('demand_registrations').where({ demand_listing_id: id }).orderBy('bidder_no').select<DemandRegistrationRow[]>('*');

export const registrationForDemand = (sql: Sql, id: string, participantId: string) =>
  sql('demand_registrations').where({ demand_listing_id: id, participant_id: participantId }).first<DemandRegistrationRow | undefined>();

export const bidderNosTaken = async (trx: Knex.Transaction, id: string) =>
  new Set((await trx('demand_registrations').where({ demand_listing_id: id }).pluck<number[]>('bidder_no')).map(Number));

export async function insertRegistration(trx: Knex.Transaction, row: Omit<DemandRegistrationRow, 'id' | 'status'>): Promise<DemandRegistrationRow> {
  const [inserted] = await trx('demand_registrations').insert(row).returning<DemandRegistrationRow[]>('*');
  return inserted!;
}

export const bidsOfDemand = (sql: Sql, id: string) => sql('demand_bids').where({ demand_listing_id: id }).orderBy('id').select<DemandBidRow[]>('*');

export async function insertBid(trx: Knex.Transaction, row: Omit<DemandBidRow, 'id'>): Promise<DemandBidRow> {
  const [inserted] = await trx('demand_bids').insert(row).returning<DemandBidRow[]>('*');
  return inserted!;
}

export const awardOfDemand = (sql: Sql, id: string) => sql('demand_awards').where({ demand_listing_id: id }).first<DemandAwardRow | undefined>();

export const insertAward = (trx: Knex.Transaction, row: Pick<DemandAwardRow, 'demand_listing_id' | 'registration_id' | 'bid_id' | 'price' | 'quantity'>) => trx('demand_awards').insert(row);

export const updateAward = (sql: Sql, id: string, change: Partial<Pick<DemandAwardRow, 'trade_id' | 'status' | 'void_reason'>>) => sql('demand_awards').where({ id }).update(change);

/** At the close: the winner won, every other active registration lost. */
export async function settleRegistrations(trx: Knex.Transaction, id: string, winnerRegistrationId: string | null): Promise<void> {
  if (winnerRegistrationId) await trx('demand_registrations').where({ id: winnerRegistrationId, status: 'active' }).update({ status: 'won' });
  await trx('demand_registrations').where({ demand_listing_id: id, status: 'active' }).update({ status: 'lost' });
}

export async function participantNames(sql: Sql, ids: string[]): Promise<Map<string, string>> {
  const rows = await sql('participants').whereIn('id', ids).select<Array<{ id: string; name: string }>>('id', 'name');
  return new Map(rows.map((p) => [p.id, p.name]));
}

export const participantForDemand = (sql: Sql, id: string) =>
  sql('participants').where({ id }).first<{ id: string; kind: string; status: string } | undefined>('id', 'kind', 'status');

export const guidancePriceOf = async (sql: Sql, symbol: string) =>
  (await sql('instruments').where({ symbol }).first<{ guidance_price: string }>('guidance_price'))!.guidance_price;

/** Available quantity of an instrument the participant holds ("0" without an account). */
export async function availableHolding(sql: Sql, participantId: string, symbol: string): Promise<string> {
  const row = await sql('accounts').where({ participant_id: participantId, asset: symbol }).first<{ available: string } | undefined>('available');
  return row?.available ?? '0';
}

export function demandIds(sql: Sql, filter: { status: 'active' | 'closed' | 'all'; limit: number }): Promise<string[]> {
  const q = sql('demand_listings').orderBy('id', 'desc').limit(filter.limit);
  if (filter.status === 'active') q.whereIn('status', ['open', 'closing']);
  if (filter.status === 'closed') q.whereIn('status', ['awarded', 'failed', 'cancelled']);
  return q.pluck<string[]>('id');
}

export const openDemandIdsOfBuyer = (sql: Sql, buyerId: string) => sql('demand_listings').where({ buyer_id: buyerId, status: 'open' }).orderBy('id').pluck<string[]>('id');

export const dueDemandIds = (sql: Sql, now: Date) =>
  sql('demand_listings')
    .where('status', 'closing')
    .orWhere((q) => q.where('status', 'open').where('bidding_closes_at', '<=', now))
    .orderBy('id')
    .pluck<string[]>('id');

export async function nextDemandDue(sql: Sql, now: Date): Promise<Date | null> {
  const row = await sql('demand_listings')
    .whereIn('status', ['open', 'closing'])
    .first<{ due: Date | null }>(sql.raw(`min(CASE WHEN status = 'closing' THEN ?::timestamptz ELSE bidding_closes_at END) AS due`, [now]));
  return row?.due ?? null;
}

/** Open demand listings (soonest close first) and the 20 latest results, for the public board. */
export async function publicDemandRows(sql: Sql, results: number): Promise<{ open: DemandRow[]; closed: DemandRow[] }> {
  const [open, closed] = await Promise.all([
    sql('demand_listings').whereIn('status', ['open', 'closing']).orderBy('bidding_closes_at').limit(200).select<DemandRow[]>('*'),
    sql('demand_listings').whereIn('status', ['awarded', 'failed']).orderBy('closed_at', 'desc').limit(results).select<DemandRow[]>('*'),
  ]);
  return { open, closed };
}

/** Reservations still held under a demand listing's reference: margins, offers, the buyer's lock, and any a crash orphaned. */
export const activeDemandReservations = (sql: Sql, id: string) =>
  sql('reservations').where({ status: 'active', reference: `demand:${id}` }).orderBy('id').pluck<string[]>('id');

/**
 * A buyer's lock the engine made but whose demand listing was never written (the node died in
 * between): older than `before`, with no demand listing holding it.
 */
export const orphanedBuyerLocks = (sql: Sql, before: Date) =>
  sql('reservations as r')
    .where({ 'r.status': 'active', 'r.purpose': 'demand_purchase' })
    .whereLike('r.reference', 'demand:%')
    .where('r.created_at', '<', before)
    .whereNotExists((q) => q.select(sql.raw('1')).from('demand_listings as d').whereRaw('d.buyer_reservation_id = r.id'))
    .orderBy('r.id')
    .pluck<string[]>('r.id');
