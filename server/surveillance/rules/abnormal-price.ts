import { dec } from '../../shared/decimal.ts';
import type { AbnormalPriceConfig } from '../config.ts';
import { tradingDay } from '../sessions.ts';
import type { AlertDraft, Rule } from '../types.ts';
import { percentOf, percentText } from './figures.ts';

export interface AbnormalPriceState {
  day: string | null;
  /** The reference price each instrument had at its first trade of the day. */
  reference: Map<string, string>;
  /** symbol|up or symbol|down already flagged today. */
  flagged: Set<string>;
}

/**
 * Abnormal price: a trade on the book more than `thresholdPct` away from the day's reference price (the
 * reference in force at the instrument's first trade of the day, so a mid-day change of the
 * guidance price does not move the yardstick). Raised once per instrument, day and direction. Off-book trades (block trades, listings) have bands of their own and are not judged.
 */
export const abnormalPrice: Rule<AbnormalPriceState, AbnormalPriceConfig> = {
  name: 'abnormal_price',
  initialState: () => ({ day: null, reference: new Map(), flagged: new Set() }),
  evaluate(state, event, { config, sessions }): AlertDraft[] {
    if (!config.enabled || event.type !== 'trade' || event.venue !== 'book') return [];
    const day = tradingDay(event.at, sessions);
    if (state.day !== day) {
      state.day = day;
      state.reference.clear();
      state.flagged.clear();
    }
    let reference = state.reference.get(event.symbol);
    if (!reference) {
      reference = event.referencePrice;
      state.reference.set(event.symbol, reference);
    }
    const ref = dec(reference);
    if (ref.lte(0)) return [];
    const deviation = percentOf(dec(event.price).sub(ref), ref);
    if (deviation.abs().lte(dec(config.thresholdPct))) return [];
    const direction = deviation.gt(0) ? 'up' : 'down';
    const key = `${event.symbol}|${direction}`;
    if (state.flagged.has(key)) return [];
    state.flagged.add(key);
    return [
      {
        rule: 'abnormal_price',
        severity: deviation.abs().gte(dec(config.criticalPct)) ? 'critical' : 'warning',
        symbol: event.symbol,
        participantIds: event.buyerId === event.sellerId ? [event.buyerId] : [event.buyerId, event.sellerId],
        message: `${event.symbol} traded at ${event.price}, ${percentText(deviation.abs())}% ${direction === 'up' ? 'above' : 'below'} the day's reference price ${reference} (trade ${event.tradeId})`,
        details: {
          tradeId: event.tradeId,
          day,
          price: event.price,
          referencePrice: reference,
          deviationPct: percentText(deviation),
          thresholdPct: config.thresholdPct,
          buyerId: event.buyerId,
          sellerId: event.sellerId,
          executedAt: event.at.toISOString(),
        },
        dedupeKey: `abnormal_price:${day}:${event.symbol}:${direction}`,
      },
    ];
  },
};
