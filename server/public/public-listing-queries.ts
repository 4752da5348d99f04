import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface AnnouncementRow {
  id: string;
  title: string;
  symbol: string;
  seller: string;
  mode: 'open' | 'sealed';
  quantity: string;
  start_price: string;
  margin_pct: string;
  registration_opens_at: Date;
  registration_closes_at: Date;
  bidding_opens_at: Date;
  bidding_closes_at: Date;
}

export interface ResultRow {
  id: string;
  title: string;
  symbol: string;
  seller: string;
  mode: 'open' | 'sealed';
  status: 'awarded' | 'failed';
  quantity: string;
  sold_quantity: string | null;
  clearing_price: string | null;
  winners: string[];
  closed_at: Date;
}

/** Listings not yet closed (withdrawn ones included until their close, as they are still announced). */
export function openListings(db: Db): Promise<AnnouncementRow[]> {
  return db('listings as l')
    .join('participants as p', 'p.id', 'l.seller_id')
    .where('l.status', 'open')
    .whereNull('l.cancel_reason')
    .orderBy([{ column: 'l.bidding_closes_at' }, { column: 'l.id' }])
    .select(
      'l.id', 'l.title', 'l.symbol', 'p.name as seller', 'l.mode', 'l.quantity', 'l.start_price', 'l.margin_pct',
      'l.registration_opens_at', 'l.registration_closes_at', 'l.bidding_opens_at', 'l.bidding_closes_at',
    );
}

/** The most recent awarded and failed listings, with the names of those whose awards traded. */
export async function recentResults(db: Db, limit: number): Promise<ResultRow[]> {
  const result = await db.raw<{ rows: ResultRow[] }>(
    `SELECT l.id, l.title, l.symbol, s.name AS seller, l.mode, l.status, l.quantity, l.sold_quantity, l.clearing_price, l.closed_at,
            coalesce(array_agg(DISTINCT w.name) FILTER (WHERE w.name IS NOT NULL), '{}') AS winners
       FROM listings l
       JOIN participants s ON s.id = l.seller_id
       LEFT JOIN listing_awards a ON a.listing_id = l.id AND a.status = 'traded'
       LEFT JOIN listing_registrations r ON r.id = a.registration_id
       LEFT JOIN participants w ON w.id = r.participant_id
      WHERE l.status IN ('awarded', 'failed')
      GROUP BY l.id, s.name
      ORDER BY l.closed_at DESC, l.id DESC
      LIMIT ?`,
    [limit],
  );
  return result.rows;
}
