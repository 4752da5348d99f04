import type { Knex } from 'knex';

// Market data read from the trades table: today's figures and last prices per instrument, the
// operator's current block rules, recent trades and OHLCV candles.

type Db = Knex | Knex.Transaction;

// Trading days follow Beijing time (beijing_day and beijing_day_start: migration 20261203000700_homes).
const TODAY_START_SQL = `beijing_day_start(beijing_day(now()))`;

export interface DayStats {
  symbol: string;
  trades: string;
  volume: string;
  value: string;
}

export interface MarketSummaryRows {
  day: DayStats[];
  last: Array<{ symbol: string; price: string }>;
  rules: Array<{ symbol: string; guidance_price: string; block_min_quantity: string; listing_min_registration_days: number; listing_min_bidding_days: number }>;
}

export interface TradeTickRow {
  id: string;
  price: string;
  quantity: string;
  aggressor_side: 'buy' | 'sell';
  executed_at: Date;
  venue: 'book' | 'block' | 'listing';
}

export interface CandleRow {
  t: Date;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  value: string;
}

/** Per instrument: today's trades, the last price ever traded, and the guidance price and block minimum. */
export async function marketSummary(db: Db): Promise<MarketSummaryRows> {
  const [day, last, rules] = await Promise.all([
    db.raw<{ rows: DayStats[] }>(
      `SELECT symbol, count(*) AS trades, sum(quantity) AS volume, sum(amount) AS value
         FROM trades WHERE executed_at >= ${TODAY_START_SQL} GROUP BY symbol`,
    ),
    // The last price is the book's: off-book prints (blocks, listing awards) do not move it.
    db.raw<{ rows: MarketSummaryRows['last'] }>(`SELECT DISTINCT ON (symbol) symbol, price FROM trades WHERE venue = 'book' ORDER BY symbol, executed_at DESC, id DESC`),
    // Set by the operator at any time, so read here rather than from the engine's cached rows.
    db('instruments').select<MarketSummaryRows['rules']>('symbol', 'guidance_price', 'block_min_quantity', 'listing_min_registration_days', 'listing_min_bidding_days'),
  ]);
  return { day: day.rows, last: last.rows, rules };
}

/** The instrument's trades, newest first. */
export async function recentTradeTicks(db: Db, symbol: string, limit: number): Promise<TradeTickRow[]> {
  return db('trades')
    .where({ symbol })
    .orderBy([{ column: 'executed_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(limit)
    .select<TradeTickRow[]>('id', 'price', 'quantity', 'aggressor_side', 'executed_at', 'venue');
}

/**
 * The latest `limit` candles of `interval` (a PostgreSQL interval), oldest first, bins aligned on
 * Beijing midnight. Candles are the book's: off-book prints would draw a negotiated price as if
 * the market had traded there.
 */
export async function candles(db: Db, symbol: string, interval: string, limit: number): Promise<CandleRow[]> {
  const result = await db.raw<{ rows: CandleRow[] }>(
    `SELECT * FROM (
       SELECT date_bin(?::interval, executed_at, beijing_day_start(date '2000-01-01')) AS t,
              (array_agg(price ORDER BY executed_at, id))[1] AS open, max(price) AS high, min(price) AS low,
              (array_agg(price ORDER BY executed_at DESC, id DESC))[1] AS close,
              sum(quantity) AS volume, sum(amount) AS value
         FROM trades WHERE symbol = ? AND venue = 'book' GROUP BY 1 ORDER BY 1 DESC LIMIT ?) c
     ORDER BY t`,
    [interval, symbol, limit],
  );
  return result.rows;
}
