import { dec } from '../../shared/decimal.ts';
import type { WashTradingConfig } from '../config.ts';
import { inScaleOf } from './figures.ts';
import { relatedPairKey, type AlertDraft, type Rule } from '../types.ts';

/**
 * Wash trading: a trade with no change of beneficial owner. Caught three ways: a trade whose
 * buyer and seller are the same participant (self-trade prevention should make this impossible,
 * so it is critical); a trade between participants the operator marked as related; and, as
 * information, every order that self-trade prevention cancelled because it would have traded
 * with its own participant — the attempt is on record even though no trade happened.
 */
export const washTrading: Rule<null, WashTradingConfig> = {
  name: 'wash_trading',
  initialState: () => null,
  evaluate(_state, event, { config, relatedPairs }): AlertDraft[] {
    if (!config.enabled) return [];
    if (event.type === 'trade') {
      const trade = {
        tradeId: event.tradeId,
        buyerId: event.buyerId,
        sellerId: event.sellerId,
        price: event.price,
        quantity: event.quantity,
        amount: event.amount,
        executedAt: event.at.toISOString(),
      };
      if (event.buyerId === event.sellerId) {
        return [
          {
            rule: 'wash_trading',
            severity: 'critical',
            symbol: event.symbol,
            participantIds: [event.buyerId],
            message: `participant ${event.buyerId} traded ${trade.quantity} ${event.symbol} with itself at ${trade.price} (trade ${event.tradeId})`,
            details: { kind: 'same_participant', ...trade },
            dedupeKey: `wash_trading:trade:${event.tradeId}`,
          },
        ];
      }
      if (relatedPairs.has(relatedPairKey(event.buyerId, event.sellerId))) {
        return [
          {
            rule: 'wash_trading',
            severity: 'warning',
            symbol: event.symbol,
            participantIds: [event.buyerId, event.sellerId],
            message: `related participants ${event.sellerId} (seller) and ${event.buyerId} (buyer) traded ${trade.quantity} ${event.symbol} at ${trade.price} (trade ${event.tradeId})`,
            details: { kind: 'related_participants', ...trade },
            dedupeKey: `wash_trading:trade:${event.tradeId}`,
          },
        ];
      }
      return [];
    }
    if (event.type === 'order' && config.logStpAttempts && event.status === 'cancelled' && event.cancelReason === 'stp') {
      const cancelled = inScaleOf(dec(event.quantity).sub(dec(event.filledQuantity)), event.quantity);
      return [
        {
          rule: 'wash_trading',
          severity: 'info',
          symbol: event.symbol,
          participantIds: [event.participantId],
          message: `self-trade prevented: ${event.side} order ${event.orderId} of participant ${event.participantId} would have traded ${event.symbol} against another order of the same participant; ${cancelled} cancelled`,
          details: {
            kind: 'stp_attempt',
            orderId: event.orderId,
            side: event.side,
            price: event.price,
            quantity: event.quantity,
            cancelledQuantity: cancelled,
            at: event.at.toISOString(),
          },
          dedupeKey: `wash_trading:stp:${event.orderId}`,
        },
      ];
    }
    return [];
  },
};
