import type { SessionConfig } from './config.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface TradingSession {
  /** Stable name of the session, e.g. "2026-11-30#2" (local day, 1-based session number). */
  key: string;
  start: Date;
  end: Date;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The local calendar day ("YYYY-MM-DD") an instant falls on. */
export function tradingDay(at: Date, config: SessionConfig): string {
  return new Date(at.getTime() + config.utcOffsetMinutes * MINUTE).toISOString().slice(0, 10);
}

/** The instant a local day starts. */
export function dayStart(day: string, config: SessionConfig): Date {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - config.utcOffsetMinutes * MINUTE);
}

/** The session an instant falls in, if any. */
export function sessionAt(at: Date, config: SessionConfig): TradingSession | undefined {
  const local = at.getTime() + config.utcOffsetMinutes * MINUTE;
  const localMidnight = Math.floor(local / DAY) * DAY;
  const isoWeekday = ((new Date(localMidnight).getUTCDay() + 6) % 7) + 1;
  if (!config.weekdays.includes(isoWeekday)) return undefined;
  const minute = (local - localMidnight) / MINUTE;
  const index = config.sessions.findIndex((s) => minute >= minutesOf(s.start) && minute < minutesOf(s.end));
  const session = config.sessions[index];
  if (!session) return undefined;
  const utcMidnight = localMidnight - config.utcOffsetMinutes * MINUTE;
  return {
    key: `${new Date(localMidnight).toISOString().slice(0, 10)}#${index + 1}`,
    start: new Date(utcMidnight + minutesOf(session.start) * MINUTE),
    end: new Date(utcMidnight + minutesOf(session.end) * MINUTE),
  };
}
