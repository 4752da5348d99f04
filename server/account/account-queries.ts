import type { Knex } from 'knex';
import { LOCK_SOURCES_SQL } from '../ledger/lock-sources.ts';
import type { LotRow, TradeRow } from '../shared/table-rows.ts';

// What a participant reads about itself beyond the snapshot: its fills, its journal postings and
// its holdings lot by lot.

type Db = Knex | Knex.Transaction;

export type { LotRow };

/** A trade on either side, with its certificate number once settled. */
export interface OwnTradeRow extends TradeRow {
  certificate_no: string | null;
}

export interface OwnPostingRow {
  id: string;
  transfer_id: string;
  kind: string;
  reference: string;
  asset: string;
  amount: string;
  created_at: Date;
}

/** Trades on either side, newest first, with the certificate once settled. */
export async function ownTrades(db: Db, participantId: string, limit: number): Promise<OwnTradeRow[]> {
  return db('trades as t')
    .leftJoin('settlements as s', 's.trade_id', 't.id')
    .where((w) => w.where('t.buyer_id', participantId).orWhere('t.seller_id', participantId))
    .orderBy('t.id', 'desc')
    .limit(limit)
    .select<OwnTradeRow[]>('t.*', 's.certificate_no');
}

export async function ownPostings(db: Db, participantId: string, limit: number): Promise<OwnPostingRow[]> {
  return db('postings as p')
    .join('accounts as a', 'a.id', 'p.account_id')
    .join('journal_transfers as j', 'j.id', 'p.transfer_id')
    .where('a.participant_id', participantId)
    .orderBy('p.id', 'desc')
    .limit(limit)
    .select<OwnPostingRow[]>('p.id', 'p.transfer_id', 'j.kind', 'j.reference', 'p.asset', 'p.amount', 'j.created_at');
}

/** The pieces held now, oldest acquisition first, each with its lot. */
export async function ownLotPieces(db: Db, participantId: string): Promise<Array<LotRow & { held: string; acquired_at: Date }>> {
  return db('lot_holdings as h')
    .join('lots as l', 'l.id', 'h.lot_id')
    .where('h.participant_id', participantId)
    .where('h.quantity', '>', 0)
    .orderBy([{ column: 'h.acquired_at' }, { column: 'h.lot_id' }])
    .select<Array<LotRow & { held: string; acquired_at: Date }>>('l.*', 'h.quantity as held', 'h.acquired_at');
}

export interface LockLineRow {
  asset: string;
  source: 'order_buy' | 'order_sell' | 'reservation' | 'unsettled_trade';
  purpose: string | null;
  count: string;
  amount: string;
}

/** What holds this participant's locked balances, grouped; the lines of an asset sum to its locked balance. */
export async function ownLockLines(db: Db, participantId: string): Promise<LockLineRow[]> {
  const { rows } = await db.raw<{ rows: LockLineRow[] }>(
    `SELECT asset, source, purpose, count(*)::text AS count, sum(amount)::text AS amount
       FROM (${LOCK_SOURCES_SQL}) s
      WHERE participant_id = ? AND amount > 0
      GROUP BY asset, source, purpose
      ORDER BY asset = 'CNY' DESC, asset, source, purpose`,
    [participantId],
  );
  return rows;
}
