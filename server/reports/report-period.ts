import type { ReportPeriod, ReportQuery } from '../../contract/reports.ts';
import { badRequest } from '../errors.ts';
import { calendarDay, daysBetween, shiftDays } from '../shared/calendar-day.ts';

// A report covers whole Beijing days. Weeks run Monday to Sunday, as Chinese statistical weeks do.

export const MAX_RANGE_DAYS = 366;

export function reportPeriod(query: ReportQuery, today: string): ReportPeriod {
  if (query.period === 'range') {
    if (query.from === undefined || query.to === undefined) throw badRequest('RANGE_REQUIRED', 'a range report needs from and to');
    const from = calendarDay(query.from, 'from');
    const to = calendarDay(query.to, 'to');
    if (from > to) throw badRequest('INVALID_RANGE', `from (${from}) is after to (${to})`);
    if (daysBetween(from, to) >= MAX_RANGE_DAYS) throw badRequest('RANGE_TOO_LONG', `a range report covers at most ${MAX_RANGE_DAYS} days`);
    return { kind: 'range', from, to };
  }
  const day = query.date === undefined ? today : calendarDay(query.date, 'date');
  switch (query.period) {
    case 'day':
      return { kind: 'day', from: day, to: day };
    case 'week': {
      const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
      const monday = shiftDays(day, -weekday);
      return { kind: 'week', from: monday, to: shiftDays(monday, 6) };
    }
    case 'month': {
      const first = `${day.slice(0, 7)}-01`;
      const next = new Date(`${first}T00:00:00Z`);
      next.setUTCMonth(next.getUTCMonth() + 1);
      return { kind: 'month', from: first, to: shiftDays(next.toISOString().slice(0, 10), -1) };
    }
    case 'year':
      return { kind: 'year', from: `${day.slice(0, 4)}-01-01`, to: `${day.slice(0, 4)}-12-31` };
  }
}
