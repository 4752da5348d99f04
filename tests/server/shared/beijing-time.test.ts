import { describe, expect, it } from 'vitest';
import { beijingDate, beijingDateDigits, startOfBeijingDay } from '../../../server/shared/beijing-time.ts';

// A Beijing day begins at 16:00Z the evening before: a trade at 23:59:59 Beijing time counts for
// that day's ticker and statistics, one a second later for the next.

describe('Beijing trading day', () => {
  it('turns over at 16:00:00Z, not at UTC midnight', () => {
    expect(beijingDate(new Date('2026-12-03T15:59:59.999Z'))).toBe('2026-12-03');
    expect(beijingDate(new Date('2026-12-03T16:00:00.000Z'))).toBe('2026-12-04');
    expect(beijingDate(new Date('2026-12-03T00:00:00.000Z'))).toBe('2026-12-03');
  });

  it('crosses month and year ends on Beijing midnight', () => {
    expect(beijingDate(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(beijingDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(beijingDateDigits(new Date('2027-02-28T16:00:00Z'))).toBe('20270301');
  });

  it('a day starts at the first instant that belongs to it', () => {
    const start = startOfBeijingDay('2026-12-04');
    expect(start).toEqual(new Date('2026-12-03T16:00:00.000Z'));
    expect(beijingDate(start)).toBe('2026-12-04');
    expect(beijingDate(new Date(start.getTime() - 1))).toBe('2026-12-03');
  });

  it('refuses what is not a date', () => {
    expect(() => startOfBeijingDay('2026-12-4')).toThrow(/not a date/);
  });
});
