import { describe, expect, it } from 'vitest';
import { spoofing } from '../../../server/surveillance/rules/spoofing.ts';
import { DEFAULT_SURVEILLANCE_CONFIG } from '../../../server/surveillance/config.ts';
import { beijing, order, run, trade } from './support/events.ts';

const config = { ...DEFAULT_SURVEILLANCE_CONFIG.spoofing, minCancels: 5, cancelToFillRatio: '4' };

const cancel = (participantId: string, at: Date, fields: Parameters<typeof order>[0] = {}) =>
  order({ participantId, status: 'cancelled', cancelReason: 'user', price: '368500.00', quantity: '0.10', createdAt: new Date(at.getTime() - 60_000), at, ...fields });

describe('spoofing rule: cancel-to-fill ratio', () => {
  it('flags a participant whose cancels reach the minimum at or above the ratio per fill, once a day', () => {
    const events = [
      trade({ buyerId: '11', sellerId: '21', at: beijing('09:31:00') }),
      ...Array.from({ length: 7 }, (_, i) => cancel('11', beijing(`09:4${i}:00`))),
    ];
    const alerts = run(spoofing, config, events);
    expect(alerts).toHaveLength(1);
    // 5 cancels against 1 fill: ratio 5 ≥ 4.
    expect(alerts[0]).toMatchObject({
      severity: 'warning',
      participantIds: ['11'],
      details: { kind: 'cancel_ratio', cancels: 5, fills: 1, ratio: '5', cancelledQuantity: '0.50' },
      dedupeKey: 'spoofing:ratio:2026-11-30:11:FARMLAND-QTY',
    });
  });

  it('leaves a participant alone whose fills keep the ratio below the threshold, and ignores cancels it did not make', () => {
    const events = [
      trade({ buyerId: '11', at: beijing('09:31:00') }),
      trade({ sellerId: '11', buyerId: '31', at: beijing('09:32:00') }),
      ...Array.from({ length: 7 }, (_, i) => cancel('11', beijing(`09:4${i}:00`))),
      ...Array.from({ length: 9 }, (_, i) => cancel('11', beijing(`09:5${i}:00`), { cancelReason: 'ioc_remainder' })),
    ];
    // 7 cancels against 2 fills: 3.5 per fill < 4; IOC remainders are not cancels by the participant.
    expect(run(spoofing, config, events)).toEqual([]);
  });

  it('starts counting afresh each Beijing day', () => {
    const events = [...[1, 2, 3].map((m) => cancel('11', beijing(`14:5${m}:00`, '2026-11-30'))), ...[1, 2, 3].map((m) => cancel('11', beijing(`09:3${m}:00`, '2026-12-01')))];
    expect(run(spoofing, config, events)).toEqual([]);
  });
});

describe('spoofing rule: large orders cancelled quickly', () => {
  it('flags a large order pulled within the time limit', () => {
    const at = beijing('10:00:05');
    // 3.00 亩 × 368,500.00 = ¥1,105,500.00 ≥ ¥1,000,000.00, resting 4 s.
    const alerts = run(spoofing, config, [cancel('11', at, { orderId: '900', quantity: '3.00', createdAt: new Date(at.getTime() - 4000) })]);
    expect(alerts).toEqual([
      expect.objectContaining({
        dedupeKey: 'spoofing:quick:900',
        details: expect.objectContaining({ kind: 'quick_cancel', cancelledValue: '1105500.00', cancelledQuantity: '3.00', restedSeconds: '4.000' }),
      }),
    ]);
  });

  it('does not flag a large order that rested longer, nor a quick cancel of a small one, nor what was already filled', () => {
    const at = beijing('10:00:30');
    const events = [
      cancel('11', at, { quantity: '3.00', createdAt: new Date(at.getTime() - 30_000) }),
      cancel('11', at, { quantity: '2.00', createdAt: new Date(at.getTime() - 1000) }),
      // 3.00 ordered, 1.00 filled: only 2.00 (¥737,000.00) was cancelled.
      cancel('11', at, { quantity: '3.00', filledQuantity: '1.00', createdAt: new Date(at.getTime() - 1000) }),
    ];
    expect(run(spoofing, config, events)).toEqual([]);
  });
});
