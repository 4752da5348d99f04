import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR, calendarProblem, daySchedule, nextChangeAfter, phaseAt, previousTradingDay, type CalendarSpec } from '../../../server/sessions/trading-calendar.ts';

const cal: CalendarSpec = { ...DEFAULT_CALENDAR, holidays: new Set(['2026-12-02']) };
const at = (local: string) => new Date(`${local}+08:00`);

describe('trading calendar', () => {
  it('phases of a trading day in Asia/Shanghai time', () => {
    expect(['2026-11-30T09:14:59', '2026-11-30T09:15:00', '2026-11-30T09:30:00', '2026-11-30T11:30:00', '2026-11-30T13:00:00', '2026-11-30T14:59:59', '2026-11-30T15:00:00'].map((t) => phaseAt(at(t), cal).phase)).toEqual([
      'closed',
      'opening_auction',
      'open',
      'break',
      'open',
      'open',
      'closed',
    ]);
    expect(phaseAt(at('2026-11-30T10:00:00'), cal).day).toBe('2026-11-30');
    expect(daySchedule('2026-11-30', cal).close).toEqual(new Date('2026-11-30T07:00:00.000Z'));
  });

  it('weekends and holidays do not trade; the next change skips them', () => {
    expect(phaseAt(at('2026-11-29T10:00:00'), cal)).toEqual({ phase: 'closed', day: null });
    expect(phaseAt(at('2026-12-02T10:00:00'), cal)).toEqual({ phase: 'closed', day: null });
    expect(nextChangeAfter(at('2026-12-01T15:00:00'), cal)).toEqual(at('2026-12-03T09:15:00'));
    expect(nextChangeAfter(at('2026-11-28T12:00:00'), cal)).toEqual(at('2026-11-30T09:15:00'));
    expect(previousTradingDay('2026-12-03', cal)).toBe('2026-12-01');
    expect(previousTradingDay('2026-11-30', cal)).toBe('2026-11-27');
  });

  it('refuses calendars that cannot be traded', () => {
    expect(calendarProblem(DEFAULT_CALENDAR)).toBeNull();
    expect(calendarProblem({ ...DEFAULT_CALENDAR, sessions: [{ start: '13:00', end: '15:00' }, { start: '09:30', end: '11:30' }] })).toMatch(/in order/);
    expect(calendarProblem({ ...DEFAULT_CALENDAR, sessions: [{ start: '09:30', end: '09:30' }] })).toMatch(/start before it ends/);
    expect(calendarProblem({ ...DEFAULT_CALENDAR, weekdays: [0] })).toMatch(/weekdays/);
  });
});
