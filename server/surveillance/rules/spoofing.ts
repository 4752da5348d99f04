import { dec, type Dec } from '../../shared/decimal.ts';
import { inScaleOf } from './figures.ts';
import type { SpoofingConfig } from '../config.ts';
import { tradingDay } from '../sessions.ts';
import type { AlertDraft, Rule } from '../types.ts';

interface Activity {
  cancels: number;
  fills: number;
  cancelledQuantity: Dec;
}

export interface SpoofingState {
  day: string | null;
  /** Per participant|symbol, for the current day. */
  activity: Map<string, Activity>;
  /** participant|symbol already flagged for its cancel ratio today. */
  flagged: Set<string>;
}

/**
 * Spoofing and layering: orders entered to move the book, never meant to trade. Two signs:
 * a participant whose own cancels on an instrument reach `minCancels` in a day while numbering
 * at least `cancelToFillRatio` per fill; and a large order (by the CNY value of what was
 * cancelled) pulled within `quickCancelSeconds` of entry. Only the participant's own cancels
 * count — not IOC remainders, expiry or self-trade prevention.
 */
export const spoofing: Rule<SpoofingState, SpoofingConfig> = {
  name: 'spoofing',
  initialState: () => ({ day: null, activity: new Map(), flagged: new Set() }),
  evaluate(state, event, { config, sessions }): AlertDraft[] {
    if (!config.enabled || event.type === 'holding') return [];
    const day = tradingDay(event.at, sessions);
    if (state.day !== day) {
      state.day = day;
      state.activity.clear();
      state.flagged.clear();
    }
    const activityOf = (participantId: string) => {
      const key = `${participantId}|${event.symbol}`;
      let a = state.activity.get(key);
      if (!a) {
        a = { cancels: 0, fills: 0, cancelledQuantity: dec(0) };
        state.activity.set(key, a);
      }
      return a;
    };
    if (event.type === 'trade') {
      activityOf(event.buyerId).fills += 1;
      if (event.sellerId !== event.buyerId) activityOf(event.sellerId).fills += 1;
      return [];
    }
    if (event.status !== 'cancelled' || event.cancelReason !== 'user') return [];
    const alerts: AlertDraft[] = [];
    const remaining = dec(event.quantity).sub(dec(event.filledQuantity));
    const a = activityOf(event.participantId);
    a.cancels += 1;
    a.cancelledQuantity = a.cancelledQuantity.add(remaining);

    const restedMs = event.at.getTime() - event.createdAt.getTime();
    const value = event.price === null ? null : dec(event.price).mul(remaining);
    if (value && value.gte(dec(config.largeOrderValue)) && restedMs <= config.quickCancelSeconds * 1000) {
      alerts.push({
        rule: 'spoofing',
        severity: 'warning',
        symbol: event.symbol,
        participantIds: [event.participantId],
        message: `large ${event.side} order ${event.orderId} (¥${value.toFixed(2)} at ${event.price}) cancelled ${(restedMs / 1000).toFixed(1)} s after entry`,
        details: {
          kind: 'quick_cancel',
          orderId: event.orderId,
          side: event.side,
          price: event.price,
          cancelledQuantity: inScaleOf(remaining, event.quantity),
          cancelledValue: value.toFixed(2),
          restedSeconds: (restedMs / 1000).toFixed(3),
          thresholdValue: config.largeOrderValue,
          thresholdSeconds: config.quickCancelSeconds,
        },
        dedupeKey: `spoofing:quick:${event.orderId}`,
      });
    }

    const key = `${event.participantId}|${event.symbol}`;
    if (!state.flagged.has(key) && a.cancels >= config.minCancels && dec(a.cancels).gte(dec(config.cancelToFillRatio).mul(a.fills))) {
      state.flagged.add(key);
      alerts.push({
        rule: 'spoofing',
        severity: 'warning',
        symbol: event.symbol,
        participantIds: [event.participantId],
        message: `participant ${event.participantId} cancelled ${a.cancels} ${event.symbol} orders today against ${a.fills} fills`,
        details: {
          kind: 'cancel_ratio',
          day,
          cancels: a.cancels,
          fills: a.fills,
          cancelledQuantity: inScaleOf(a.cancelledQuantity, event.quantity),
          ratio: a.fills === 0 ? null : dec(a.cancels).div(a.fills).toDecimalPlaces(2).toString(),
          thresholdRatio: config.cancelToFillRatio,
          minCancels: config.minCancels,
        },
        dedupeKey: `spoofing:ratio:${day}:${event.participantId}:${event.symbol}`,
      });
    }
    return alerts;
  },
};
