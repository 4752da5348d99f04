import { describe, expect, it } from 'vitest';
import { abnormalPrice } from '../../../server/surveillance/rules/abnormal-price.ts';
import { DEFAULT_SURVEILLANCE_CONFIG } from '../../../server/surveillance/config.ts';
import { beijing, run, trade } from './support/events.ts';

const config = DEFAULT_SURVEILLANCE_CONFIG.abnormalPrice;

describe('abnormal price rule', () => {
  it('flags the first trade more than 15% from the day’s reference price, once per direction', () => {
    const alerts = run(abnormalPrice, config, [
      trade({ tradeId: '1', price: '430000.00', at: beijing('10:00:00') }),
      trade({ tradeId: '2', price: '440000.00', at: beijing('10:01:00') }),
      trade({ tradeId: '3', price: '300000.00', at: beijing('10:02:00') }),
    ]);
    expect(alerts.map((a) => [a.details.tradeId, a.details.deviationPct, a.severity, a.dedupeKey])).toEqual([
      ['1', '16.69', 'warning', 'abnormal_price:2026-11-30:FARMLAND-QTY:up'],
      ['3', '-18.59', 'warning', 'abnormal_price:2026-11-30:FARMLAND-QTY:down'],
    ]);
  });

  it('is critical beyond the critical threshold', () => {
    const [alert] = run(abnormalPrice, config, [trade({ price: '90.00', referencePrice: '60.00', symbol: 'CARBON-2024' })]);
    expect(alert).toMatchObject({ severity: 'critical', details: { deviationPct: '50.00' } });
  });

  it('accepts a trade exactly at the threshold and keeps the first reference price of the day as the yardstick', () => {
    const alerts = run(abnormalPrice, config, [
      // 368,500.00 × 1.15 = 423,775.00: exactly 15%, not beyond it.
      trade({ price: '423775.00', at: beijing('10:00:00') }),
      // The guidance price was raised mid-day; the day's yardstick stays 368,500.00.
      trade({ price: '420000.00', referencePrice: '300000.00', at: beijing('11:00:00') }),
      // A block trade is negotiated within its own wider band.
      trade({ price: '276400.00', venue: 'block', at: beijing('11:30:00') }),
    ]);
    expect(alerts).toEqual([]);
  });
});
