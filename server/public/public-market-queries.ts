import type { Knex } from 'knex';

// The published market, read from committed trades. Prices come from the continuous book only
// (venue 'book'); blocks and listing awards add to volume and turnover (see contract/public-market.ts).

type Db = Knex | Knex.Transaction;

export interface TodayRow {
  symbol: string;
  trading_day: string;
  last: string | null;
  previous_close: string | null;
  volume: string;
  turnover: string;
  trades: string;
  off_book_volume: string;
}

export interface DailyBarRow {
  day: string;
  open: string | null;
  high: string | null;
  low: string | null;
  close: string | null;
  vwap: string | null;
  volume: string;
  turnover: string;
  trades: string;
  off_book_volume: string;
  off_book_turnover: string;
}

/** Per instrument: the figures of `now`'s Beijing day and the last book price today and before it. */
export async function publicToday(db: Db, now: Date): Promise<TodayRow[]> {
  const result = await db.raw<{ rows: TodayRow[] }>(
    `WITH bounds AS (SELECT beijing_day(:now::timestamptz) AS day, beijing_day_start(beijing_day(:now::timestamptz)) AS start)
     SELECT i.symbol, to_char(b.day, 'YYYY-MM-DD') AS trading_day,
            (SELECT price FROM trades t WHERE t.symbol = i.symbol AND t.venue = 'book'
              ORDER BY executed_at DESC, id DESC LIMIT 1) AS last,
            (SELECT price FROM trades t WHERE t.symbol = i.symbol AND t.venue = 'book' AND t.executed_at < b.start
              ORDER BY executed_at DESC, id DESC LIMIT 1) AS previous_close,
            coalesce(d.volume, 0) AS volume, coalesce(d.turnover, 0) AS turnover, coalesce(d.trades, 0) AS trades,
            coalesce(d.off_book_volume, 0) AS off_book_volume
       FROM instruments i CROSS JOIN bounds b
       LEFT JOIN LATERAL (
         SELECT sum(quantity) AS volume, sum(amount) AS turnover, count(*) AS trades,
                sum(quantity) FILTER (WHERE venue <> 'book') AS off_book_volume
           FROM trades t WHERE t.symbol = i.symbol AND t.executed_at >= b.start) d ON true
      ORDER BY i.symbol`,
    { now },
  );
  return result.rows;
}

/** One bar per Beijing trading day with trades, `from`..`to` inclusive, oldest first. */
export async function dailyBars(db: Db, symbol: string, from: string, to: string): Promise<DailyBarRow[]> {
  const result = await db.raw<{ rows: DailyBarRow[] }>(
    `SELECT to_char(beijing_day(executed_at), 'YYYY-MM-DD') AS day,
            (array_agg(price ORDER BY executed_at, id) FILTER (WHERE venue = 'book'))[1] AS open,
            max(price) FILTER (WHERE venue = 'book') AS high,
            min(price) FILTER (WHERE venue = 'book') AS low,
            (array_agg(price ORDER BY executed_at DESC, id DESC) FILTER (WHERE venue = 'book'))[1] AS close,
            round(sum(amount) FILTER (WHERE venue = 'book') / nullif(sum(quantity) FILTER (WHERE venue = 'book'), 0), 2) AS vwap,
            sum(quantity) AS volume, sum(amount) AS turnover, count(*) AS trades,
            coalesce(sum(quantity) FILTER (WHERE venue <> 'book'), 0) AS off_book_volume,
            coalesce(sum(amount) FILTER (WHERE venue <> 'book'), 0) AS off_book_turnover
       FROM trades
      WHERE symbol = ? AND executed_at >= beijing_day_start(?::date) AND executed_at < beijing_day_start(?::date + 1)
      GROUP BY beijing_day(executed_at)
      ORDER BY beijing_day(executed_at)`,
    [symbol, from, to],
  );
  return result.rows;
}

