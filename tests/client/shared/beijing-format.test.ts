import { describe, expect, it } from 'vitest';
import { beijingDateDigits, formatDateTime, formatTime } from '../../../client/src/shared/format/number.ts';

// Issue 20, item 8: a time reads the same to every user — Beijing wall clock, year first — so an
// English reader is not left guessing whether 04/12 is April or December.
describe('times on screen', () => {
  const evening = '2026-12-03T20:15:07Z'; // 04:15:07 on 4 December in Beijing

  it('prints Beijing date and time, year first, in both languages', () => {
    expect(formatDateTime(evening, 'zh-CN')).toBe('2026-12-04 04:15:07');
    expect(formatDateTime(evening, 'en')).toBe('2026-12-04 04:15:07');
    expect(formatTime(evening, 'en')).toBe('04:15:07');
  });

  it('keeps midnight as 00, not 24', () => {
    expect(formatDateTime('2026-12-03T16:00:00Z', 'en')).toBe('2026-12-04 00:00:00');
  });

  it('names files by the Beijing date', () => {
    expect(beijingDateDigits(new Date(evening))).toBe('20261204');
  });

  it('leaves what is not a time alone', () => {
    expect(formatDateTime(null, 'en')).toBe('—');
    expect(formatDateTime('soon', 'en')).toBe('soon');
  });
});
