import type { Knex } from 'knex';

// Each time a regulator broke the glass of a sealed listing (migration 20261205000310).

export interface BreakGlassRow {
  id: string;
  listing_id: string;
  user_id: string;
  username: string;
  reason: string;
  created_at: Date;
}

export interface BreakGlassListedRow extends BreakGlassRow {
  symbol: string;
  title: string;
  mode: 'open' | 'sealed';
  status: string;
}

export async function insertBreakGlass(trx: Knex.Transaction, row: Omit<BreakGlassRow, 'id'>): Promise<BreakGlassRow> {
  const [inserted] = await trx('listing_break_glass').insert(row).returning<BreakGlassRow[]>('*');
  return inserted!;
}

/** Newest first, with the listing each was about. */
export function breakGlassLog(sql: Knex, limit: number): Promise<BreakGlassListedRow[]> {
  return sql('listing_break_glass as g')
    .join('listings as l', 'l.id', 'g.listing_id')
    .orderBy('g.id', 'desc')
    .limit(limit)
    .select<BreakGlassListedRow[]>('g.*', 'l.symbol', 'l.title', 'l.mode', 'l.status');
}
