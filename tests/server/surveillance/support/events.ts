import { DEFAULT_SURVEILLANCE_CONFIG } from '../../../../server/surveillance/config.ts';
import type { AlertDraft, HoldingObserved, OrderObserved, Rule, SurveillanceEvent, TradeObserved } from '../../../../server/surveillance/types.ts';

/** Beijing wall-clock time, by default on Monday 2026-11-30 (a trading day), as an instant. */
export const beijing = (hhmmss: string, day = '2026-11-30') => new Date(`${day}T${hhmmss}+08:00`);

let ids = 1000;
const nextId = () => String((ids += 1));

export function trade(fields: Partial<TradeObserved> = {}): TradeObserved {
  return {
    type: 'trade',
    tradeId: nextId(),
    symbol: 'FARMLAND-QTY',
    price: '368500.00',
    quantity: '1.00',
    amount: '368500.00',
    buyerId: '11',
    sellerId: '21',
    at: beijing('10:00:00'),
    venue: 'book',
    referencePrice: '368500.00',
    ...fields,
  };
}

export function order(fields: Partial<OrderObserved> = {}): OrderObserved {
  const at = fields.at ?? beijing('10:00:00');
  return {
    type: 'order',
    orderId: nextId(),
    participantId: '11',
    symbol: 'FARMLAND-QTY',
    side: 'buy',
    price: '368500.00',
    quantity: '1.00',
    filledQuantity: '0.00',
    status: 'open',
    cancelReason: null,
    createdAt: at,
    at,
    ...fields,
  };
}

export function holding(fields: Partial<HoldingObserved> & { quantity: string; outstanding: string }): HoldingObserved {
  return { type: 'holding', symbol: 'FARMLAND-QTY', participantId: '11', at: beijing('10:00:00'), ...fields };
}

/** Feeds events to a fresh rule state in order; returns every alert raised. */
export function run<S, C>(rule: Rule<S, C>, config: C, events: SurveillanceEvent[], relatedPairs: ReadonlySet<string> = new Set()): AlertDraft[] {
  const state = rule.initialState();
  const sessions = DEFAULT_SURVEILLANCE_CONFIG.sessions;
  return events.flatMap((e) => rule.evaluate(state, e, { config, sessions, relatedPairs }));
}
