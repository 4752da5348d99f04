import type { Knex } from 'knex';
import type { EngineHost } from '../engine/engine-host.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import { dec, fixed, money, type Dec } from '../shared/decimal.ts';
import { beijingDate, startOfBeijingDay } from '../shared/beijing-time.ts';
import type { TradeView } from './market-bus.ts';

/** What the `ticker` stream says about one instrument; the same names as GET /api/instruments. */
export interface TickerView {
  symbol: string;
  lastPrice: string | null;
  changePct: string | null;
  dayVolume: string;
  dayValue: string;
  dayTrades: number;
  bestBid: string | null;
  bestAsk: string | null;
  at: string;
}

interface DayStats {
  day: string;
  lastPrice: string | null;
  volume: Dec;
  value: Dec;
  trades: number;
}

interface Loading {
  day: string;
  buffered: TradeView[];
}

/**
 * Day statistics per instrument, kept from the trade events: loaded once from PostgreSQL (on the
 * first trade of a symbol, or of a new day), then advanced by every committed trade. Trades that
 * commit while the load runs are buffered and applied if the load did not already count them.
 */
export class TickerBoard {
  private readonly stats = new Map<string, DayStats>();
  private readonly loading = new Map<string, Loading>();

  constructor(
    private readonly knex: Knex,
    private readonly engine: EngineHost,
    private readonly instruments: InstrumentCatalog,
    private readonly onReady: (symbol: string) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Counts a committed trade; returns false while the day's totals are still loading. */
  record(trade: TradeView): boolean {
    const day = beijingDate(new Date(trade.executedAt));
    const loading = this.loading.get(trade.symbol);
    if (loading) {
      loading.buffered.push(trade);
      return false;
    }
    const stats = this.stats.get(trade.symbol);
    if (!stats || stats.day !== day) {
      this.load(trade.symbol, day, [trade]);
      return false;
    }
    apply(stats, trade);
    return true;
  }

  /** The ticker of a symbol as of now, or undefined before its first trade on this node. */
  view(symbol: string): TickerView | undefined {
    const stats = this.stats.get(symbol);
    const spec = this.instruments.spec(symbol);
    if (!stats || !spec) return undefined;
    const top = this.engine.depth(symbol, 1);
    const reference = spec.row.reference_price;
    return {
      symbol,
      lastPrice: stats.lastPrice === null ? null : fixed(stats.lastPrice, spec.pricePlaces),
      changePct: stats.lastPrice === null || dec(reference).isZero() ? null : dec(stats.lastPrice).div(reference).sub(1).mul(100).toFixed(2),
      dayVolume: fixed(stats.volume, spec.qtyPlaces),
      dayValue: money(stats.value),
      dayTrades: stats.trades,
      bestBid: top?.bids[0]?.price ?? null,
      bestAsk: top?.asks[0]?.price ?? null,
      at: new Date().toISOString(),
    };
  }

  private load(symbol: string, day: string, buffered: TradeView[]): void {
    const state: Loading = { day, buffered };
    this.loading.set(symbol, state);
    void this.knex
      .raw<{ rows: Array<{ trades: string; volume: string; value: string; max_id: string | null; last_price: string | null }> }>(
        `SELECT count(*) AS trades, coalesce(sum(quantity), 0) AS volume, coalesce(sum(amount), 0) AS value, max(id) AS max_id,
                (SELECT price FROM trades WHERE symbol = ? AND venue = 'book' ORDER BY executed_at DESC, id DESC LIMIT 1) AS last_price
           FROM trades WHERE symbol = ? AND executed_at >= ?`,
        [symbol, symbol, startOfBeijingDay(day)],
      )
      .then((result) => {
        const row = result.rows[0]!;
        const stats: DayStats = { day, lastPrice: row.last_price, volume: dec(row.volume), value: dec(row.value), trades: Number(row.trades) };
        const counted = row.max_id === null ? -1n : BigInt(row.max_id);
        this.loading.delete(symbol);
        this.stats.set(symbol, stats);
        // The load saw every trade committed before it started; later ones have larger ids.
        for (const trade of state.buffered) if (BigInt(trade.id) > counted) this.record(trade);
        this.onReady(symbol);
      })
      .catch((error: unknown) => {
        this.loading.delete(symbol);
        this.onError(error);
      });
  }
}

// Off-book prints (blocks, listing awards) count in the day's volume and value but never set the
// last price: one negotiated deal must not move the market's price (exchanges report 大宗 apart).
function apply(stats: DayStats, trade: TradeView): void {
  if ((trade.venue ?? 'book') === 'book') stats.lastPrice = trade.price;
  stats.volume = stats.volume.add(trade.quantity);
  stats.value = stats.value.add(trade.amount);
  stats.trades += 1;
}
