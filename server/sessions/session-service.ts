import { accepted, type SystemActor } from '../engine/commands.ts';
import type { TradingMode } from '../../matching/types.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { SessionEventView } from '../market/market-bus.ts';
import { Dec, dec, fixed } from '../shared/decimal.ts';
import type { DueWork } from './market-scheduler.ts';
import { DEFAULT_CALENDAR, daySchedule, isTradingDay, localDay, nextChangeAfter, phaseAt, previousTradingDay, type CalendarSpec, type MarketPhase } from './trading-calendar.ts';
import type { MarketServiceDeps } from '../market/market-service-deps.ts';

declare module '../platform.ts' {
  interface Platform {
    sessions: SessionService;
  }
}

/** Halt reasons the session schedule uses; any other halt (a regulator's, surveillance's) is left alone. */
export const SESSION_CLOSED_REASON = '休市 market closed';
export const SESSION_BREAK_REASON = '午间休市 midday break';
export const isSessionHalt = (reason: string | null): boolean => reason === SESSION_CLOSED_REASON || reason === SESSION_BREAK_REASON;

const SESSION_ACTOR: SystemActor = { userId: null, username: 'system' };

export interface SessionServiceOptions extends MarketServiceDeps {
  /** SESSIONS=on: the calendar drives trading modes; off: instruments trade at any hour. */
  enabled: boolean;
  defaults: Pick<CalendarSpec, 'openingAuctionMinutes' | 'closingVwapMinutes'>;
}

interface CalendarRow {
  symbol: string;
  sessions: Array<{ start: string; end: string }>;
  weekdays: number[];
  utc_offset_minutes: number;
  opening_auction_minutes: number;
  closing_vwap_minutes: number;
}

export interface DailyPriceRow {
  symbol: string;
  trading_day: string;
  close_price: string;
  method: 'vwap' | 'last' | 'previous';
  volume: string;
  value: string;
  trades: number;
  previous_reference: string;
  closed_at: Date;
}


/**
 * Trading sessions. On each run it puts every instrument in the mode its calendar says — the
 * opening call auction, continuous trading, or halted for the midday break and outside hours —
 * uncrossing the auction at the open; at the close it expires DAY orders and takes the closing
 * price (VWAP of the last minutes, else the last trade, else the previous close), which becomes
 * the reference price, and with it the price band, of the next trading day. A halt that is not
 * the schedule's (a regulator's, surveillance's) is never lifted by the schedule.
 */
export class SessionService implements DueWork {
  readonly name = 'sessions';
  private calendars = new Map<string, CalendarRow>();
  private holidays: Array<{ day: string; symbol: string | null }> = [];

  constructor(private readonly o: SessionServiceOptions) {}

  get enabled(): boolean {
    return this.o.enabled;
  }

  /** Reads calendars and holidays; call again after the operator changes them. */
  async load(): Promise<void> {
    const { knex } = this.o;
    const rows = await knex('trading_calendars').select<CalendarRow[]>('*');
    this.calendars = new Map(rows.map((r) => [r.symbol, r]));
    const holidays = await knex('market_holidays').select<Array<{ day: string | Date; symbol: string | null }>>(knex.raw(`to_char(day, 'YYYY-MM-DD') AS day`), 'symbol');
    this.holidays = holidays.map((h) => ({ day: String(h.day), symbol: h.symbol }));
  }

  calendar(symbol: string): CalendarSpec {
    const row = this.calendars.get(symbol);
    const holidays = new Set(this.holidays.filter((h) => h.symbol === null || h.symbol === symbol).map((h) => h.day));
    if (!row) return { ...DEFAULT_CALENDAR, ...this.o.defaults, holidays };
    return {
      sessions: row.sessions,
      weekdays: row.weekdays,
      utcOffsetMinutes: row.utc_offset_minutes,
      openingAuctionMinutes: row.opening_auction_minutes,
      closingVwapMinutes: row.closing_vwap_minutes,
      holidays,
    };
  }

  async nextDueAt(now: Date): Promise<Date | null> {
    if (!this.o.enabled) return null;
    let earliest: Date | null = null;
    for (const spec of this.o.instruments.specs()) {
      const cal = this.calendar(spec.symbol);
      const unclosed = await this.unclosedDay(spec.symbol, now, cal);
      const at = unclosed ? now : nextChangeAfter(now, cal);
      if (at && (!earliest || at < earliest)) earliest = at;
    }
    return earliest;
  }

  async runDue(now: Date): Promise<void> {
    if (!this.o.enabled) return;
    for (const spec of this.o.instruments.specs()) {
      try {
        await this.step(spec.symbol, now);
      } catch (error) {
        this.o.log.error({ err: error, symbol: spec.symbol }, 'session step failed; retried at the next tick');
      }
    }
  }

  private async step(symbol: string, now: Date): Promise<void> {
    const cal = this.calendar(symbol);
    const { phase, day } = phaseAt(now, cal);
    const unclosed = await this.unclosedDay(symbol, now, cal);
    if (unclosed) {
      // Halted first, so nothing trades between the expiry and the closing price.
      await this.enter(symbol, 'closed', unclosed, now);
      await this.close(symbol, unclosed, cal);
    }
    await this.enter(symbol, phase, day, now);
  }

  /**
   * A trading day whose close is due but not done: today once its last session is over, or the
   * previous trading day if the platform ran the session then and went down before its close.
   */
  private async unclosedDay(symbol: string, now: Date, cal: CalendarSpec): Promise<string | null> {
    const today = localDay(now, cal);
    const candidates: string[] = [];
    const previous = previousTradingDay(today, cal);
    if (previous) candidates.push(previous);
    if (isTradingDay(today, cal) && now >= daySchedule(today, cal).close) candidates.push(today);
    for (const day of candidates.reverse()) {
      const closed = await this.o.knex('daily_prices').where({ symbol, trading_day: day }).first('symbol');
      if (closed) continue;
      if (day === today) return day;
      const ran = await this.o.knex('session_marks').where({ symbol, trading_day: day }).first('symbol');
      if (ran) return day;
    }
    return null;
  }

  /** Puts the instrument in the mode of `phase`, unless someone else's halt or auction holds it. */
  private async enter(symbol: string, phase: MarketPhase, day: string | null, now: Date): Promise<void> {
    const spec = this.o.instruments.spec(symbol);
    if (!spec) return;
    const { status, halt_reason: reason } = spec.row;
    if (phase === 'closed' || phase === 'break') {
      if (status === 'halted') return;
      const why = phase === 'break' ? SESSION_BREAK_REASON : SESSION_CLOSED_REASON;
      await this.setMode(symbol, 'halted', why);
      this.publish({ symbol, tradingDay: day, phase, at: now.toISOString() });
      return;
    }
    if (phase === 'opening_auction') {
      if (status === 'auction' || (status === 'halted' && !isSessionHalt(reason))) return;
      await this.setMode(symbol, 'auction', 'opening call auction (集合竞价)');
      await this.mark(symbol, day!, 'opening_auction', now);
      this.publish({ symbol, tradingDay: day, phase, at: now.toISOString() });
      return;
    }
    // open
    if (status === 'trading' || (status === 'halted' && !isSessionHalt(reason))) return;
    let openingPrice: string | null = null;
    if (status === 'auction') {
      // An auction the schedule did not open (surveillance's reopening) runs its own course.
      const ours = await this.o.knex('session_marks').where({ symbol, trading_day: day, mark: 'opening_auction' }).first('symbol');
      if (!ours) return;
      const outcome = accepted(await this.o.engine.submit({ kind: 'uncross', actor: SESSION_ACTOR, symbol, reason: 'the session opens: opening call auction uncrosses' }));
      openingPrice = outcome.uncross.price;
    }
    await this.setMode(symbol, 'continuous', 'the session opens');
    await this.mark(symbol, day!, 'open', now);
    this.publish({ symbol, tradingDay: day, phase, at: now.toISOString(), openingPrice });
  }

  private async setMode(symbol: string, mode: TradingMode, reason: string): Promise<void> {
    accepted(await this.o.engine.submit({ kind: 'setMode', actor: SESSION_ACTOR, symbol, mode, reason }));
  }

  private async mark(symbol: string, day: string, mark: 'opening_auction' | 'open', at: Date): Promise<void> {
    await this.o.knex('session_marks').insert({ symbol, trading_day: day, mark, at }).onConflict(['symbol', 'trading_day', 'mark']).ignore();
  }

  /**
   * The close of one trading day: DAY orders expire, the closing price is taken and becomes the
   * reference price. Each step can run again: the expiry finds nothing left, the price is the
   * same (the day's trades no longer change), and the record is written once.
   */
  private async close(symbol: string, day: string, cal: CalendarSpec): Promise<void> {
    const { knex, engine, instruments } = this.o;
    accepted(await engine.submit({ kind: 'expireDay', actor: SESSION_ACTOR, symbol, reason: `DAY orders expire at the close of ${day}` }));
    const spec = instruments.spec(symbol)!;
    const schedule = daySchedule(day, cal);
    const last = schedule.sessions[schedule.sessions.length - 1]!;
    const windowStart = new Date(Math.max(last.start.getTime(), schedule.close.getTime() - cal.closingVwapMinutes * 60_000));
    const [window, lastTrade, whole] = await Promise.all([
      knex('trades')
        .where({ symbol, venue: 'book' })
        .where('executed_at', '>=', windowStart)
        .where('executed_at', '<', schedule.close)
        .first<{ value: string | null; volume: string | null }>(knex.raw('sum(price * quantity)::text AS value'), knex.raw('sum(quantity)::text AS volume')),
      knex('trades')
        .where({ symbol, venue: 'book' })
        .where('executed_at', '>=', schedule.auctionStart)
        .where('executed_at', '<', schedule.close)
        .orderBy([{ column: 'executed_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .first<{ price: string } | undefined>('price'),
      knex('trades')
        .where({ symbol, venue: 'book' })
        .where('executed_at', '>=', schedule.auctionStart)
        .where('executed_at', '<', schedule.close)
        .first<{ value: string | null; volume: string | null; trades: string }>(knex.raw('sum(amount)::text AS value'), knex.raw('sum(quantity)::text AS volume'), knex.raw('count(*)::text AS trades')),
    ]);
    const previous = spec.ticksToPrice(spec.referenceTicks);
    let method: DailyPriceRow['method'];
    let closeTicks: number;
    if (window?.volume && dec(window.volume).gt(0)) {
      method = 'vwap';
      closeTicks = dec(window.value!).div(window.volume).div(spec.tick).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toNumber();
    } else if (lastTrade) {
      method = 'last';
      closeTicks = dec(lastTrade.price).div(spec.tick).toNumber();
    } else {
      method = 'previous';
      closeTicks = spec.referenceTicks;
    }
    const closePrice = spec.ticksToPrice(closeTicks);
    if (closeTicks !== spec.referenceTicks) {
      accepted(await engine.submit({ kind: 'setReferencePrice', actor: SESSION_ACTOR, symbol, priceTicks: closeTicks, reason: `closing price of ${day} (${method})` }));
    }
    const now = this.o.clock.now();
    await knex.transaction(async (trx) => {
      const inserted = await trx('daily_prices')
        .insert({
          symbol,
          trading_day: day,
          close_price: closePrice,
          method,
          volume: whole?.volume ?? '0',
          value: whole?.value ?? '0',
          trades: Number(whole?.trades ?? 0),
          previous_reference: previous,
          closed_at: now,
        })
        .onConflict(['symbol', 'trading_day'])
        .ignore()
        .returning('symbol');
      if (inserted.length === 0) return;
      await appendAudit(trx, [
        {
          actorUserId: null,
          actor: SESSION_ACTOR.username,
          action: 'session.close',
          subject: `instrument:${symbol}`,
          payload: { symbol, tradingDay: day, closePrice, method, previousReference: previous, nextReference: closePrice, volume: whole?.volume ?? '0' },
          at: now,
        },
      ]);
    });
    this.publish({ symbol, tradingDay: day, phase: 'closed', at: now.toISOString(), closePrice, closeMethod: method, referencePrice: closePrice });
  }

  private publish(event: Omit<SessionEventView, 'openingPrice' | 'closePrice' | 'closeMethod' | 'referencePrice'> & Partial<SessionEventView>): void {
    this.o.bus.emit('session', { openingPrice: null, closePrice: null, closeMethod: null, referencePrice: null, ...event });
  }

  /** Today's phase and the next change, for the market board. */
  status(spec: InstrumentSpec, now: Date) {
    const cal = this.calendar(spec.symbol);
    const { phase, day } = phaseAt(now, cal);
    return {
      symbol: spec.symbol,
      enabled: this.o.enabled,
      phase: this.o.enabled ? phase : ('open' as MarketPhase),
      tradingDay: day,
      nextChangeAt: this.o.enabled ? (nextChangeAfter(now, cal)?.toISOString() ?? null) : null,
      sessions: cal.sessions,
      weekdays: cal.weekdays,
      utcOffsetMinutes: cal.utcOffsetMinutes,
      openingAuctionMinutes: cal.openingAuctionMinutes,
      closingVwapMinutes: cal.closingVwapMinutes,
      referencePrice: spec.ticksToPrice(spec.referenceTicks),
    };
  }

  async dailyPrices(symbol: string, limit: number): Promise<Array<Omit<DailyPriceRow, 'trading_day' | 'closed_at'> & { trading_day: string; closed_at: Date }>> {
    return this.o.knex('daily_prices')
      .where({ symbol })
      .orderBy('trading_day', 'desc')
      .limit(limit)
      .select(this.o.knex.raw(`to_char(trading_day, 'YYYY-MM-DD') AS trading_day`), 'symbol', 'close_price', 'method', 'volume', 'value', 'trades', 'previous_reference', 'closed_at');
  }

  /** Formats a stored price with the instrument's places. */
  price(spec: InstrumentSpec, value: string): string {
    return fixed(value, spec.pricePlaces);
  }
}
