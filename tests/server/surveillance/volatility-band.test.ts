import { describe, expect, it } from 'vitest';
import { bandBreach } from '../../../server/surveillance/volatility-band.ts';
import { sessionAt, tradingDay } from '../../../server/surveillance/sessions.ts';
import { DEFAULT_SURVEILLANCE_CONFIG, surveillanceConfig } from '../../../server/surveillance/config.ts';
import { beijing } from './support/events.ts';

describe('dynamic volatility band', () => {
  it('is breached by a move of more than the band from the previous price, either way', () => {
    expect(bandBreach('368500.00', '394400.00', '7')?.toFixed(2)).toBe('7.03');
    expect(bandBreach('60.00', '55.70', '7')?.toFixed(2)).toBe('-7.17');
  });

  it('holds a move up to and including the band', () => {
    expect(bandBreach('368500.00', '394295.00', '7')).toBeUndefined();
    expect(bandBreach('60.00', '55.80', '7')).toBeUndefined();
  });
});

describe('trading calendar', () => {
  const sessions = DEFAULT_SURVEILLANCE_CONFIG.sessions;
  it('knows Beijing days and sessions', () => {
    expect(tradingDay(new Date('2026-11-30T16:30:00Z'), sessions)).toBe('2026-12-01');
    expect(sessionAt(beijing('09:30:00'), sessions)).toMatchObject({ key: '2026-11-30#1', end: beijing('11:30:00') });
    expect(sessionAt(beijing('14:59:59.999'), sessions)?.key).toBe('2026-11-30#2');
    expect(sessionAt(beijing('11:30:00'), sessions)).toBeUndefined();
    expect(sessionAt(beijing('10:00:00', '2026-11-29'), sessions)).toBeUndefined();
  });

  it('refuses thresholds that cannot work', () => {
    expect(() => surveillanceConfig({ abnormalPrice: { thresholdPct: '-1' } })).toThrow(/thresholdPct/);
    expect(() => surveillanceConfig({ sessions: { sessions: [{ start: '15:00', end: '13:00' }] } })).toThrow(/session/);
    expect(surveillanceConfig({ volatilityHalt: { bandPct: '5' } }).volatilityHalt).toMatchObject({ bandPct: '5', pauseMs: 300_000 });
  });
});
