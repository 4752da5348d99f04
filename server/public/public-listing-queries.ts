import type { Knex } from 'knex';
import type { LotteryRow, ObjectionRow } from '../listings/listing-rule-store.ts';
import type { ListingRow } from '../listings/listing-store.ts';

type Db = Knex | Knex.Transaction;

export interface AnnouncementRow extends ListingRow {
  seller: string;
}

export interface ResultRow extends AnnouncementRow {
  status: 'awarded' | 'failed' | 'cancelled';
  closed_at: Date;
  winners: string[];
  results_working_days: number;
}

/** Objections and draws of a set of listings, for their announcements. */
export interface PublicRuleFacts {
  objections: Map<string, ObjectionRow[]>;
  lotteries: Map<string, LotteryRow>;
}

/** Listings not yet closed (withdrawn ones included until their close, as they are still announced). */
export function openListings(db: Db): Promise<AnnouncementRow[]> {
  return db('listings as l')
    .join('participants as p', 'p.id', 'l.seller_id')
    .where('l.status', 'open')
    .whereNull('l.cancel_reason')
    .orderBy([{ column: 'l.bidding_closes_at' }, { column: 'l.id' }])
    .select('l.*', 'p.name as seller');
}

const RESULT_SELECT = `SELECT l.*, s.name AS seller, i.listing_results_working_days AS results_working_days,
            coalesce(array_agg(DISTINCT w.name) FILTER (WHERE w.name IS NOT NULL), '{}') AS winners
       FROM listings l
       JOIN participants s ON s.id = l.seller_id
       JOIN instruments i ON i.symbol = l.symbol
       LEFT JOIN listing_awards a ON a.listing_id = l.id AND a.status = 'traded'
       LEFT JOIN listing_registrations r ON r.id = a.registration_id
       LEFT JOIN participants w ON w.id = r.participant_id`;

/**
 * Results closed since `since`, newest first, with the names of those whose awards traded: the
 * candidates for the results board (the board's working days are counted by the caller).
 */
export async function recentResults(db: Db, since: Date, limit: number): Promise<ResultRow[]> {
  const result = await db.raw<{ rows: ResultRow[] }>(
    `${RESULT_SELECT}
      WHERE l.status IN ('awarded', 'failed', 'cancelled') AND l.closed_at >= ?
      GROUP BY l.id, s.name, i.listing_results_working_days
      ORDER BY l.closed_at DESC, l.id DESC
      LIMIT ?`,
    [since, limit],
  );
  return result.rows;
}

/** Every result, newest listing first, a page at a time: the history the board leaves behind. */
export async function resultHistory(db: Db, beforeId: string | null, limit: number): Promise<ResultRow[]> {
  const result = await db.raw<{ rows: ResultRow[] }>(
    `${RESULT_SELECT}
      WHERE l.status IN ('awarded', 'failed', 'cancelled') AND (?::bigint IS NULL OR l.id < ?::bigint)
      GROUP BY l.id, s.name, i.listing_results_working_days
      ORDER BY l.id DESC
      LIMIT ?`,
    [beforeId, beforeId, limit],
  );
  return result.rows;
}

/** One listing, announced or closed; undefined when there is none. */
export async function publicListing(db: Db, id: string): Promise<{ open: AnnouncementRow | undefined; closed: ResultRow | undefined }> {
  const open = await openListings(db).then((rows) => rows.find((r) => String(r.id) === id));
  if (open) return { open, closed: undefined };
  const result = await db.raw<{ rows: ResultRow[] }>(
    `${RESULT_SELECT} WHERE l.id = ? AND l.status IN ('awarded', 'failed', 'cancelled') GROUP BY l.id, s.name, i.listing_results_working_days`,
    [id],
  );
  return { open: undefined, closed: result.rows[0] };
}

export async function publicRuleFacts(db: Db, listingIds: string[]): Promise<PublicRuleFacts> {
  const [objections, lotteries] = await Promise.all([
    db('listing_objections as o')
      .leftJoin('listing_objection_decisions as d', 'd.objection_id', 'o.id')
      .whereIn('o.listing_id', listingIds)
      .orderBy('o.id')
      .select<ObjectionRow[]>('o.*', 'd.outcome', 'd.reason as decision_reason', 'd.decided_at'),
    db('listing_lotteries').whereIn('listing_id', listingIds).select<LotteryRow[]>('*'),
  ]);
  const byListing = new Map<string, ObjectionRow[]>();
  for (const o of objections) byListing.set(String(o.listing_id), [...(byListing.get(String(o.listing_id)) ?? []), o]);
  return { objections: byListing, lotteries: new Map(lotteries.map((l) => [String(l.listing_id), l])) };
}
