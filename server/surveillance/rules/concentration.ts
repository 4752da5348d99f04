import { dec, type Dec } from '../../shared/decimal.ts';
import type { ConcentrationConfig } from '../config.ts';
import { tradingDay } from '../sessions.ts';
import type { AlertDraft, Rule } from '../types.ts';
import { inScaleOf, percentOf, percentText } from './figures.ts';

interface DayVolume {
  total: Dec;
  trades: number;
  byParticipant: Map<string, Dec>;
}

export interface ConcentrationState {
  day: string | null;
  volume: Map<string, DayVolume>;
  /** Findings already raised today: holding|symbol|participant or volume|symbol|participant. */
  flagged: Set<string>;
}

/**
 * Concentration: one participant holding more than `holdingSharePct` of everything held of an
 * instrument (judged for the acquiring side whenever a settlement moves quantity to it), or
 * taking part in more than `volumeSharePct` of the instrument's volume of the day (judged once
 * the day has `minDayTrades` trades). Each finding is raised once per day.
 */
export const concentration: Rule<ConcentrationState, ConcentrationConfig> = {
  name: 'concentration',
  initialState: () => ({ day: null, volume: new Map(), flagged: new Set() }),
  evaluate(state, event, { config, sessions }): AlertDraft[] {
    if (!config.enabled || event.type === 'order') return [];
    const day = tradingDay(event.at, sessions);
    if (state.day !== day) {
      state.day = day;
      state.volume.clear();
      state.flagged.clear();
    }

    if (event.type === 'holding') {
      const outstanding = dec(event.outstanding);
      if (outstanding.lte(0)) return [];
      const share = percentOf(dec(event.quantity), outstanding);
      const key = `holding|${event.symbol}|${event.participantId}`;
      if (share.lte(dec(config.holdingSharePct)) || state.flagged.has(key)) return [];
      state.flagged.add(key);
      return [
        {
          rule: 'concentration',
          severity: 'warning',
          symbol: event.symbol,
          participantIds: [event.participantId],
          message: `participant ${event.participantId} holds ${percentText(share)}% of all ${event.symbol} held (${event.quantity} of ${event.outstanding})`,
          details: {
            kind: 'holdings',
            day,
            holding: event.quantity,
            outstanding: event.outstanding,
            sharePct: percentText(share),
            thresholdPct: config.holdingSharePct,
          },
          dedupeKey: `concentration:holding:${day}:${event.symbol}:${event.participantId}`,
        },
      ];
    }

    let v = state.volume.get(event.symbol);
    if (!v) {
      v = { total: dec(0), trades: 0, byParticipant: new Map() };
      state.volume.set(event.symbol, v);
    }
    const quantity = dec(event.quantity);
    v.total = v.total.add(quantity);
    v.trades += 1;
    const parties = event.buyerId === event.sellerId ? [event.buyerId] : [event.buyerId, event.sellerId];
    for (const p of parties) v.byParticipant.set(p, (v.byParticipant.get(p) ?? dec(0)).add(quantity));
    if (v.trades < config.minDayTrades) return [];

    // A trade can only raise its own parties' shares; when the day first reaches the minimum,
    // everyone who traded so far is judged.
    const judged = v.trades === config.minDayTrades ? [...v.byParticipant.keys()] : parties;
    const alerts: AlertDraft[] = [];
    for (const participantId of judged) {
      const volume = v.byParticipant.get(participantId)!;
      const share = percentOf(volume, v.total);
      const key = `volume|${event.symbol}|${participantId}`;
      if (share.lte(dec(config.volumeSharePct)) || state.flagged.has(key)) continue;
      state.flagged.add(key);
      alerts.push({
        rule: 'concentration',
        severity: 'warning',
        symbol: event.symbol,
        participantIds: [participantId],
        message: `participant ${participantId} took part in ${percentText(share)}% of today's ${event.symbol} volume (${inScaleOf(volume, event.quantity)} of ${inScaleOf(v.total, event.quantity)} over ${v.trades} trades)`,
        details: {
          kind: 'day_volume',
          day,
          volume: inScaleOf(volume, event.quantity),
          dayVolume: inScaleOf(v.total, event.quantity),
          dayTrades: v.trades,
          sharePct: percentText(share),
          thresholdPct: config.volumeSharePct,
        },
        dedupeKey: `concentration:volume:${day}:${event.symbol}:${participantId}`,
      });
    }
    return alerts;
  },
};
