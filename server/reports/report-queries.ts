import type { Knex } from 'knex';
import type { ReportPeriod } from '../../contract/reports.ts';

// The figures of a report, straight from the ledger's tables. Every query bounds trades by
// executed_at with beijing_day_start so the BRIN index (migration 20261205000500) applies; trades
// whose settlement failed never moved anything and are left out.

type Db = Knex | Knex.Transaction;

/** `column` falls on a Beijing day of the period (:from to :to, both included). */
const inPeriod = (column: string) => `${column} >= beijing_day_start(:from::date) AND ${column} < beijing_day_start(:to::date + 1)`;

const IN_PERIOD = `${inPeriod('t.executed_at')} AND t.status <> 'failed'`;

export interface InstrumentFiguresRow {
  symbol: string;
  trades: string;
  quantity: string;
  turnover: string;
  fees: string;
  vwap: string | null;
  high: string | null;
  low: string | null;
  close: string | null;
}

export interface RegionFiguresRow {
  prefecture: string;
  region: string;
  symbol: string;
  trades: string;
  quantity: string;
  turnover: string;
}

export interface KindFiguresRow {
  side: 'buy' | 'sell';
  kind: string;
  trades: string;
  turnover: string;
}

export interface VenueFiguresRow {
  venue: 'book' | 'block' | 'listing';
  trades: string;
  turnover: string;
}

export interface TopParticipantFiguresRow {
  participant_id: string;
  name: string;
  kind: string;
  trades: string;
  turnover: string;
  bought: string;
  sold: string;
}

export interface ListingFiguresRow {
  opened: string;
  awarded: string;
  failed: string;
  cancelled: string;
}

export interface RegistryFiguresRow {
  kind: 'use' | 'retire';
  symbol: string;
  actions: string;
  quantity: string;
}

export interface AlertFiguresRow {
  rule: string;
  status: 'open' | 'acknowledged';
  alerts: string;
}

export interface PricePointRow {
  symbol: string;
  day: string;
  vwap: string | null;
  high: string | null;
  low: string | null;
  reference: string | null;
}

async function rows<T>(db: Db, sql: string, period: ReportPeriod): Promise<T[]> {
  const result = await db.raw<{ rows: T[] }>(sql, { from: period.from, to: period.to });
  return result.rows;
}

export function instrumentFigures(db: Db, period: ReportPeriod): Promise<InstrumentFiguresRow[]> {
  return rows(
    db,
    `SELECT t.symbol, count(*) AS trades, sum(t.quantity) AS quantity, sum(t.amount) AS turnover,
            sum(t.buyer_fee + t.seller_fee) AS fees,
            round(sum(t.amount) FILTER (WHERE t.venue = 'book') / nullif(sum(t.quantity) FILTER (WHERE t.venue = 'book'), 0), 2) AS vwap,
            max(t.price) FILTER (WHERE t.venue = 'book') AS high,
            min(t.price) FILTER (WHERE t.venue = 'book') AS low,
            (SELECT d.close_price FROM daily_prices d
              WHERE d.symbol = t.symbol AND d.trading_day BETWEEN :from::date AND :to::date
              ORDER BY d.trading_day DESC LIMIT 1) AS close
       FROM trades t WHERE ${IN_PERIOD}
      GROUP BY t.symbol ORDER BY t.symbol`,
    period,
  );
}

export function regionFigures(db: Db, period: ReportPeriod): Promise<RegionFiguresRow[]> {
  return rows(
    db,
    `SELECT s.prefecture, s.region, t.symbol, count(*) AS trades, sum(t.quantity) AS quantity, sum(t.amount) AS turnover
       FROM trades t JOIN participants s ON s.id = t.seller_id
      WHERE ${IN_PERIOD}
      GROUP BY s.prefecture, s.region, t.symbol
      ORDER BY s.prefecture, s.region, t.symbol`,
    period,
  );
}

/** Each participant's trades and turnover on each side in the period: what kinds and the top list sum. */
const PER_SIDE = `SELECT 'buy' AS side, t.buyer_id AS participant_id, count(*) AS trades, sum(t.amount) AS turnover
    FROM trades t WHERE ${IN_PERIOD} GROUP BY t.buyer_id
  UNION ALL
  SELECT 'sell', t.seller_id, count(*), sum(t.amount)
    FROM trades t WHERE ${IN_PERIOD} GROUP BY t.seller_id`;

export function participantKindFigures(db: Db, period: ReportPeriod): Promise<KindFiguresRow[]> {
  return rows(
    db,
    `SELECT side, kind, sum(trades) AS trades, sum(turnover) AS turnover
       FROM (${PER_SIDE}) sides JOIN participants p ON p.id = sides.participant_id
      GROUP BY side, kind ORDER BY side, kind`,
    period,
  );
}

export function venueFigures(db: Db, period: ReportPeriod): Promise<VenueFiguresRow[]> {
  return rows(
    db,
    `SELECT t.venue, count(*) AS trades, sum(t.amount) AS turnover
       FROM trades t WHERE ${IN_PERIOD} GROUP BY t.venue ORDER BY t.venue`,
    period,
  );
}

export function topParticipantFigures(db: Db, period: ReportPeriod, limit: number): Promise<TopParticipantFiguresRow[]> {
  return rows(
    db,
    `SELECT p.id AS participant_id, p.name, p.kind, sum(s.trades) AS trades, sum(s.turnover) AS turnover,
            coalesce(sum(s.turnover) FILTER (WHERE s.side = 'buy'), 0) AS bought,
            coalesce(sum(s.turnover) FILTER (WHERE s.side = 'sell'), 0) AS sold
       FROM (${PER_SIDE}) s JOIN participants p ON p.id = s.participant_id
      GROUP BY p.id ORDER BY turnover DESC, p.id LIMIT ${Math.trunc(limit)}`,
    period,
  );
}

export async function listingFigures(db: Db, period: ReportPeriod): Promise<ListingFiguresRow> {
  const [row] = await rows<ListingFiguresRow>(
    db,
    `WITH bounds AS (SELECT beijing_day_start(:from::date) AS start, beijing_day_start(:to::date + 1) AS stop)
     SELECT count(*) FILTER (WHERE l.created_at >= b.start AND l.created_at < b.stop) AS opened,
            count(*) FILTER (WHERE l.status = 'awarded' AND l.closed_at >= b.start AND l.closed_at < b.stop) AS awarded,
            count(*) FILTER (WHERE l.status = 'failed' AND l.closed_at >= b.start AND l.closed_at < b.stop) AS failed,
            count(*) FILTER (WHERE l.status = 'cancelled' AND l.closed_at >= b.start AND l.closed_at < b.stop) AS cancelled
       FROM listings l CROSS JOIN bounds b
      WHERE (l.created_at >= b.start AND l.created_at < b.stop) OR (l.closed_at >= b.start AND l.closed_at < b.stop)`,
    period,
  );
  return row!;
}

export function registryFigures(db: Db, period: ReportPeriod): Promise<RegistryFiguresRow[]> {
  return rows(
    db,
    `SELECT r.kind, r.symbol, count(*) AS actions, sum(r.quantity) AS quantity
       FROM registry_actions r
      WHERE ${inPeriod('r.created_at')}
      GROUP BY r.kind, r.symbol ORDER BY r.kind, r.symbol`,
    period,
  );
}

export function alertFigures(db: Db, period: ReportPeriod): Promise<AlertFiguresRow[]> {
  return rows(
    db,
    `SELECT a.rule, a.status, count(*) AS alerts
       FROM alerts a
      WHERE ${inPeriod('a.created_at')}
      GROUP BY a.rule, a.status ORDER BY a.rule, a.status`,
    period,
  );
}

/** Per instrument and Beijing day: continuous-market VWAP, high and low, and the session's reference price. */
export function pricePoints(db: Db, period: ReportPeriod): Promise<PricePointRow[]> {
  return rows(
    db,
    `WITH book AS (
       SELECT t.symbol, beijing_day(t.executed_at) AS day,
              round(sum(t.amount) / sum(t.quantity), 2) AS vwap, max(t.price) AS high, min(t.price) AS low
         FROM trades t WHERE ${IN_PERIOD} AND t.venue = 'book'
        GROUP BY t.symbol, beijing_day(t.executed_at)),
     reference AS (
       SELECT d.symbol, d.trading_day AS day, d.close_price AS reference
         FROM daily_prices d WHERE d.trading_day BETWEEN :from::date AND :to::date)
     SELECT coalesce(b.symbol, r.symbol) AS symbol, to_char(coalesce(b.day, r.day), 'YYYY-MM-DD') AS day,
            b.vwap, b.high, b.low, r.reference
       FROM book b FULL JOIN reference r ON r.symbol = b.symbol AND r.day = b.day
      ORDER BY 1, 2`,
    period,
  );
}
