import { describe, expect, it } from 'vitest';
import { washTrading } from '../../../server/surveillance/rules/wash-trading.ts';
import { DEFAULT_SURVEILLANCE_CONFIG } from '../../../server/surveillance/config.ts';
import { relatedPairKey } from '../../../server/surveillance/types.ts';
import { order, run, trade } from './support/events.ts';

const config = DEFAULT_SURVEILLANCE_CONFIG.washTrading;

describe('wash trading rule', () => {
  it('flags a trade between participants the operator marked related, whichever side each is on and on or off the book', () => {
    const related = new Set([relatedPairKey('21', '11')]);
    const alerts = run(washTrading, config, [trade({ tradeId: '501', buyerId: '11', sellerId: '21' }), trade({ tradeId: '502', buyerId: '21', sellerId: '11', venue: 'block' })], related);
    expect(alerts.map((a) => [a.severity, a.dedupeKey, a.participantIds])).toEqual([
      ['warning', 'wash_trading:trade:501', ['11', '21']],
      ['warning', 'wash_trading:trade:502', ['21', '11']],
    ]);
    expect(alerts[0]!.details).toMatchObject({ kind: 'related_participants', tradeId: '501', price: '368500.00', quantity: '1.00' });
  });

  it('flags a trade of a participant with itself as critical', () => {
    const [alert] = run(washTrading, config, [trade({ buyerId: '11', sellerId: '11' })]);
    expect(alert).toMatchObject({ severity: 'critical', participantIds: ['11'], details: { kind: 'same_participant' } });
  });

  it('logs an order cancelled by self-trade prevention as information', () => {
    const alerts = run(washTrading, config, [order({ orderId: '77', participantId: '11', status: 'cancelled', cancelReason: 'stp', quantity: '2.00', filledQuantity: '0.50' })]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'info', dedupeKey: 'wash_trading:stp:77', details: { kind: 'stp_attempt', cancelledQuantity: '1.50' } });
  });

  it('stays quiet for trades between unrelated participants and for ordinary cancels', () => {
    const related = new Set([relatedPairKey('11', '31')]);
    const alerts = run(
      washTrading,
      config,
      [trade({ buyerId: '11', sellerId: '21' }), order({ status: 'cancelled', cancelReason: 'user' }), order({ status: 'cancelled', cancelReason: 'ioc_remainder' })],
      related,
    );
    expect(alerts).toEqual([]);
  });

  it('can be told not to log self-trade prevention, or be switched off', () => {
    const stp = order({ status: 'cancelled', cancelReason: 'stp' });
    expect(run(washTrading, { ...config, logStpAttempts: false }, [stp])).toEqual([]);
    expect(run(washTrading, { ...config, enabled: false }, [stp, trade({ buyerId: '11', sellerId: '11' })])).toEqual([]);
  });
});
