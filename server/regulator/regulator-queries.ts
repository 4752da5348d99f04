import type { Knex } from 'knex';
import type { AuditRow } from '../audit/audit-log.ts';
import { withoutSealedListingActivity } from '../listings/sealed-audit.ts';

// What the regulator's screens read: the audit log by filter, the latest trades and orders of
// every participant, and today's figures (Beijing day).

export interface AuditFilter {
  action?: string;
  actor?: string;
  subject?: string;
  from?: string;
  to?: string;
  limit: number;
}

export interface RegulatorTradeRow {
  id: string;
  symbol: string;
  price: string;
  quantity: string;
  amount: string;
  buyer: string;
  seller: string;
  aggressor_side: 'buy' | 'sell';
  status: string;
  executed_at: Date;
}

export interface RegulatorOrderRow {
  id: string;
  participant: string;
  symbol: string;
  side: string;
  type: string;
  price: string | null;
  quantity: string;
  filled_quantity: string;
  status: string;
  updated_at: Date;
}

export interface TodayStatsRows {
  byType: Array<{ indicator_type: string; volume: string; value: string }>;
  totals: { trades: string; value: string | null; active: string };
  byPrefecture: Array<{ prefecture: string; value: string; trades: string }>;
}

/** Audit rows newest first; `from` inclusive, `to` exclusive. */
export async function auditEntries(db: Knex | Knex.Transaction, filter: AuditFilter): Promise<AuditRow[]> {
  const query = db('audit_log as a').orderBy('a.seq', 'desc').limit(filter.limit);
  if (filter.action) query.where('a.action', filter.action);
  if (filter.actor) query.where('a.actor', filter.actor);
  if (filter.subject) query.where('a.subject', filter.subject);
  if (filter.from) query.where('a.at', '>=', filter.from);
  if (filter.to) query.where('a.at', '<', filter.to);
  return withoutSealedListingActivity(query, db).select<AuditRow[]>('a.*');
}

export async function recentTrades(db: Knex | Knex.Transaction, limit: number): Promise<RegulatorTradeRow[]> {
  return db('trades as t')
    .join('participants as b', 'b.id', 't.buyer_id')
    .join('participants as s', 's.id', 't.seller_id')
    .orderBy('t.id', 'desc')
    .limit(limit)
    .select<RegulatorTradeRow[]>('t.id', 't.symbol', 't.price', 't.quantity', 't.amount', 'b.name as buyer', 's.name as seller', 't.aggressor_side', 't.status', 't.executed_at');
}

/** Orders most recently changed first. */
export async function recentOrders(db: Knex | Knex.Transaction, limit: number): Promise<RegulatorOrderRow[]> {
  return db('orders as o')
    .join('participants as p', 'p.id', 'o.participant_id')
    .orderBy('o.updated_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(limit)
    .select<RegulatorOrderRow[]>('o.id', 'p.name as participant', 'o.symbol', 'o.side', 'o.type', 'o.price', 'o.quantity', 'o.filled_quantity', 'o.status', 'o.updated_at');
}

/** Today's trades (Beijing day) by indicator type, in total, and by the seller's prefecture. */
export async function todayStats(db: Knex | Knex.Transaction): Promise<TodayStatsRows> {
  const today = `t.executed_at >= beijing_day_start(beijing_day(now()))`;
  const [byType, totals, byPrefecture] = await Promise.all([
    db.raw<{ rows: TodayStatsRows['byType'] }>(
      `SELECT i.indicator_type, sum(t.quantity) AS volume, sum(t.amount) AS value
         FROM trades t JOIN instruments i ON i.symbol = t.symbol WHERE ${today} GROUP BY 1`,
    ),
    db.raw<{ rows: Array<TodayStatsRows['totals']> }>(
      `SELECT count(*) AS trades, sum(amount) AS value,
              (SELECT count(DISTINCT p) FROM trades t, LATERAL (VALUES (t.buyer_id), (t.seller_id)) v(p) WHERE ${today}) AS active
         FROM trades t WHERE ${today}`,
    ),
    db.raw<{ rows: TodayStatsRows['byPrefecture'] }>(
      `SELECT p.prefecture, sum(t.amount) AS value, count(*) AS trades
         FROM trades t JOIN participants p ON p.id = t.seller_id WHERE ${today} GROUP BY 1 ORDER BY 2 DESC`,
    ),
  ]);
  return { byType: byType.rows, totals: totals.rows[0]!, byPrefecture: byPrefecture.rows };
}
