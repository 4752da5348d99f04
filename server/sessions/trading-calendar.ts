/**
 * A trading calendar: which local days trade, in which sessions, with an opening call auction
 * before the first. Times are local wall-clock times ("09:30") at a fixed UTC offset (China keeps
 * no daylight saving time, so Asia/Shanghai is always +08:00). Pure: no clock, no I/O.
 */
import { BEIJING_UTC_OFFSET_MINUTES } from '../shared/beijing-time.ts';

export interface CalendarSpec {
  /** Sessions in order, e.g. 09:30–11:30 and 13:00–15:00. */
  sessions: Array<{ start: string; end: string }>;
  /** ISO weekdays that trade: 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  utcOffsetMinutes: number;
  /** Length of the opening call auction that ends when the first session opens (0: none). */
  openingAuctionMinutes: number;
  /** The closing price is the volume-weighted price of the session's last this-many minutes. */
  closingVwapMinutes: number;
  /** Local days ("YYYY-MM-DD") that do not trade. */
  holidays: ReadonlySet<string>;
}

export const DEFAULT_CALENDAR: Omit<CalendarSpec, 'holidays'> = {
  sessions: [
    { start: '09:30', end: '11:30' },
    { start: '13:00', end: '15:00' },
  ],
  weekdays: [1, 2, 3, 4, 5],
  utcOffsetMinutes: BEIJING_UTC_OFFSET_MINUTES,
  openingAuctionMinutes: 15,
  closingVwapMinutes: 30,
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Why a calendar cannot be used, or null: sessions must be well-formed, ordered and apart. */
export function calendarProblem(c: Omit<CalendarSpec, 'holidays'>): string | null {
  if (c.sessions.length === 0) return 'a calendar needs at least one session';
  let last = -1;
  for (const s of c.sessions) {
    if (!HHMM.test(s.start) || !HHMM.test(s.end)) return 'session times are HH:MM';
    if (minutesOf(s.start) >= minutesOf(s.end)) return `session ${s.start}–${s.end} must start before it ends`;
    if (minutesOf(s.start) <= last) return 'sessions must be in order and must not touch or overlap';
    last = minutesOf(s.end);
  }
  if (minutesOf(c.sessions[0]!.start) - c.openingAuctionMinutes < 0) return 'the opening auction would start before midnight';
  if (c.weekdays.length === 0 || c.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return 'weekdays are 1 (Monday) to 7 (Sunday)';
  return null;
}

/** The local calendar day an instant falls on. */
export function localDay(at: Date, c: Pick<CalendarSpec, 'utcOffsetMinutes'>): string {
  return new Date(at.getTime() + c.utcOffsetMinutes * MINUTE).toISOString().slice(0, 10);
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY).toISOString().slice(0, 10);

export function isTradingDay(day: string, c: CalendarSpec): boolean {
  const isoWeekday = ((new Date(`${day}T00:00:00.000Z`).getUTCDay() + 6) % 7) + 1;
  return c.weekdays.includes(isoWeekday) && !c.holidays.has(day);
}

export interface DaySchedule {
  day: string;
  /** Start of the opening call auction (equal to the first open when there is none). */
  auctionStart: Date;
  sessions: Array<{ start: Date; end: Date }>;
  /** End of the last session: DAY orders expire and the closing price is taken. */
  close: Date;
}

export function daySchedule(day: string, c: CalendarSpec): DaySchedule {
  const midnight = Date.parse(`${day}T00:00:00.000Z`) - c.utcOffsetMinutes * MINUTE;
  const sessions = c.sessions.map((s) => ({ start: new Date(midnight + minutesOf(s.start) * MINUTE), end: new Date(midnight + minutesOf(s.end) * MINUTE) }));
  return { day, auctionStart: new Date(sessions[0]!.start.getTime() - c.openingAuctionMinutes * MINUTE), sessions, close: sessions[sessions.length - 1]!.end };
}

export type MarketPhase = 'opening_auction' | 'open' | 'break' | 'closed';

/** Where the market stands at an instant, and on which trading day (null on a non-trading day). */
export function phaseAt(at: Date, c: CalendarSpec): { phase: MarketPhase; day: string | null } {
  const day = localDay(at, c);
  if (!isTradingDay(day, c)) return { phase: 'closed', day: null };
  const s = daySchedule(day, c);
  if (at < s.auctionStart || at >= s.close) return { phase: 'closed', day };
  if (at < s.sessions[0]!.start) return { phase: 'opening_auction', day };
  return { phase: s.sessions.some((x) => at >= x.start && at < x.end) ? 'open' : 'break', day };
}

/** The first phase change strictly after `at`, looking ahead up to a month of holidays. */
export function nextChangeAfter(at: Date, c: CalendarSpec): Date | null {
  for (let i = 0; i < 32; i++) {
    const day = addDays(localDay(at, c), i);
    if (!isTradingDay(day, c)) continue;
    const s = daySchedule(day, c);
    const instants = [s.auctionStart, ...s.sessions.flatMap((x) => [x.start, x.end])];
    const next = instants.find((t) => t > at);
    if (next) return next;
  }
  return null;
}

/** The last trading day before `day`, looking back up to a month. */
export function previousTradingDay(day: string, c: CalendarSpec): string | null {
  for (let i = 1; i <= 32; i++) {
    const d = addDays(day, -i);
    if (isTradingDay(d, c)) return d;
  }
  return null;
}
