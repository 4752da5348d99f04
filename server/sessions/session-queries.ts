import type { Knex } from 'knex';
import { appendAudit, type AuditEntry } from '../audit/audit-log.ts';

// The operator's calendars and holidays as stored; the session service reads them back on load.

export interface CalendarChange {
  symbol: string;
  sessions: Array<{ start: string; end: string }>;
  weekdays: number[];
  utcOffsetMinutes: number;
  openingAuctionMinutes: number;
  closingVwapMinutes: number;
  at: Date;
}

export interface HolidayRow {
  day: string;
  symbol: string | null;
  name: string;
}

export async function listHolidays(db: Knex | Knex.Transaction): Promise<HolidayRow[]> {
  return db('market_holidays').orderBy('day').select<HolidayRow[]>(db.raw(`to_char(day, 'YYYY-MM-DD') AS day`), 'symbol', 'name');
}

/** Replaces an instrument's calendar and audits the change in the same transaction. */
export async function saveCalendar(knex: Knex, change: CalendarChange, audit: AuditEntry): Promise<void> {
  await knex.transaction(async (trx) => {
    const row = {
      symbol: change.symbol,
      sessions: JSON.stringify(change.sessions),
      weekdays: [...change.weekdays].sort(),
      utc_offset_minutes: change.utcOffsetMinutes,
      opening_auction_minutes: change.openingAuctionMinutes,
      closing_vwap_minutes: change.closingVwapMinutes,
      updated_at: change.at,
    };
    await trx('trading_calendars').insert(row).onConflict('symbol').merge();
    await appendAudit(trx, [audit]);
  });
}

/** Declares (or renames) a day without trading, market-wide when symbol is null, audited with it. */
export async function saveHoliday(knex: Knex, holiday: HolidayRow, audit: AuditEntry): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw(`INSERT INTO market_holidays (day, symbol, name) VALUES (?, ?, ?) ON CONFLICT (day, coalesce(symbol, '')) DO UPDATE SET name = EXCLUDED.name`, [holiday.day, holiday.symbol, holiday.name]);
    await appendAudit(trx, [audit]);
  });
}
