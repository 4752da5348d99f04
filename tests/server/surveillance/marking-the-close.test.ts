import { describe, expect, it } from 'vitest';
import { markingTheClose } from '../../../server/surveillance/rules/marking-the-close.ts';
import { DEFAULT_SURVEILLANCE_CONFIG } from '../../../server/surveillance/config.ts';
import { beijing, run, trade } from './support/events.ts';

const config = DEFAULT_SURVEILLANCE_CONFIG.markingTheClose;

// Afternoon session 13:00–15:00: the closing window is 14:55–15:00, 115 minutes before it.
const steady = ['13:10', '13:40', '14:10', '14:40'].map((t) => trade({ buyerId: '31', sellerId: '41', quantity: '1.15', at: beijing(`${t}:00`) }));

describe('marking the close rule', () => {
  it('flags outsized volume in the last five minutes of a session and names who dominated it', () => {
    // 4.60 earlier in 115 min is 0.20 per 5 min; 3 × 0.20 = 0.60, and the window holds 3.00.
    const close = ['14:56:00', '14:57:30', '14:59:59'].map((t) => trade({ buyerId: '11', sellerId: '41', quantity: '1.00', at: beijing(t) }));
    const alerts = run(markingTheClose, config, [...steady, ...close]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      participantIds: ['11', '41'],
      dedupeKey: 'marking_the_close:2026-11-30#2:FARMLAND-QTY',
      details: { windowVolume: '3.00', earlierVolume: '4.60', expectedWindowVolume: '0.2', windowTrades: 3 },
    });
  });

  it('leaves a closing window alone that keeps the session’s pace, and trades outside sessions', () => {
    const close = ['14:56:00', '14:57:30', '14:59:59'].map((t) => trade({ buyerId: '11', sellerId: '41', quantity: '0.10', at: beijing(t) }));
    // 0.30 ≤ 0.60; a block trade is not the book's close; 15:00 is after the close; the lunch break and Saturday have no session.
    const outside = [trade({ quantity: '50.00', venue: 'block', at: beijing('14:59:00') }), trade({ quantity: '50.00', at: beijing('15:00:00') }), trade({ quantity: '50.00', at: beijing('11:45:00') }), trade({ quantity: '50.00', at: beijing('14:58:00', '2026-11-28') })];
    expect(run(markingTheClose, config, [...steady, ...close, ...outside])).toEqual([]);
  });
});
