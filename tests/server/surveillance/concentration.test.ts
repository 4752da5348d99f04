import { describe, expect, it } from 'vitest';
import { concentration } from '../../../server/surveillance/rules/concentration.ts';
import { DEFAULT_SURVEILLANCE_CONFIG } from '../../../server/surveillance/config.ts';
import { beijing, holding, run, trade } from './support/events.ts';

const config = { ...DEFAULT_SURVEILLANCE_CONFIG.concentration, minDayTrades: 4 };

describe('concentration rule: holdings', () => {
  it('flags a participant holding more than 30% of an instrument, once a day', () => {
    const alerts = run(concentration, config, [holding({ participantId: '11', quantity: '35.00', outstanding: '100.00' }), holding({ participantId: '11', quantity: '40.00', outstanding: '100.00' })]);
    expect(alerts).toEqual([expect.objectContaining({ participantIds: ['11'], details: expect.objectContaining({ kind: 'holdings', sharePct: '35.00' }) })]);
  });

  it('does not flag a holding at or below the threshold', () => {
    expect(run(concentration, config, [holding({ quantity: '30.00', outstanding: '100.00' }), holding({ quantity: '5.00', outstanding: '0.00' })])).toEqual([]);
  });
});

describe('concentration rule: share of the day’s volume', () => {
  it('flags a participant on one side of most of the day’s volume once the day has enough trades', () => {
    const sellers = ['21', '22', '23', '24'];
    const alerts = run(
      concentration,
      config,
      sellers.map((s, i) => trade({ buyerId: '11', sellerId: s, quantity: '2.00', at: beijing(`10:0${i}:00`) })),
    );
    // Judged at the fourth trade: buyer 11 is in 100% of 8.00; each seller in 25%.
    expect(alerts.map((a) => [a.participantIds, a.details.sharePct, a.details.dayVolume])).toEqual([[['11'], '100.00', '8.00']]);
  });

  it('does not flag evenly spread volume, nor a busy participant before the day has enough trades', () => {
    const spread = [
      trade({ buyerId: '11', sellerId: '21' }),
      trade({ buyerId: '12', sellerId: '22' }),
      trade({ buyerId: '13', sellerId: '23' }),
      trade({ buyerId: '14', sellerId: '24' }),
      trade({ buyerId: '15', sellerId: '25' }),
    ];
    expect(run(concentration, config, spread)).toEqual([]);
    expect(run(concentration, config, [trade({ buyerId: '11' }), trade({ buyerId: '11' }), trade({ buyerId: '11' })])).toEqual([]);
  });
});
