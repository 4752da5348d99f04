import { dec, type Dec } from '../../shared/decimal.ts';
import type { MarkingTheCloseConfig } from '../config.ts';
import { sessionAt } from '../sessions.ts';
import type { AlertDraft, Rule } from '../types.ts';
import { inScaleOf, percentOf, percentText } from './figures.ts';

interface SessionTally {
  session: string;
  /** Volume from the session's start to its closing window. */
  earlier: Dec;
  window: Dec;
  windowTrades: number;
  byParticipant: Map<string, Dec>;
  flagged: boolean;
}

export interface MarkingTheCloseState {
  /** Per symbol, the session its tally belongs to. */
  tallies: Map<string, SessionTally>;
}

const MINUTE = 60_000;

/**
 * Marking the close: outsized volume in the last `windowMinutes` of a session, when closing
 * prices are set. The window is outsized once it holds `minWindowTrades` trades and more than
 * `volumeMultiple` times the volume the session's earlier pace would put in a window that long
 * (any volume at all, if nothing traded earlier in the session). The participants with at least
 * `dominantSharePct` of the window's volume are named (else the largest). Once per session. Only book trades count: the close is the book's price.
 */
export const markingTheClose: Rule<MarkingTheCloseState, MarkingTheCloseConfig> = {
  name: 'marking_the_close',
  initialState: () => ({ tallies: new Map() }),
  evaluate(state, event, { config, sessions }): AlertDraft[] {
    if (!config.enabled || event.type !== 'trade' || event.venue !== 'book') return [];
    const session = sessionAt(event.at, sessions);
    if (!session) return [];
    let tally = state.tallies.get(event.symbol);
    if (!tally || tally.session !== session.key) {
      tally = { session: session.key, earlier: dec(0), window: dec(0), windowTrades: 0, byParticipant: new Map(), flagged: false };
      state.tallies.set(event.symbol, tally);
    }
    const windowStart = Math.max(session.start.getTime(), session.end.getTime() - config.windowMinutes * MINUTE);
    if (event.at.getTime() < windowStart) {
      tally.earlier = tally.earlier.add(dec(event.quantity));
      return [];
    }
    const quantity = dec(event.quantity);
    tally.window = tally.window.add(quantity);
    tally.windowTrades += 1;
    const parties = event.buyerId === event.sellerId ? [event.buyerId] : [event.buyerId, event.sellerId];
    for (const p of parties) tally.byParticipant.set(p, (tally.byParticipant.get(p) ?? dec(0)).add(quantity));
    if (tally.flagged || tally.windowTrades < config.minWindowTrades) return [];

    const earlierMinutes = (windowStart - session.start.getTime()) / MINUTE;
    const windowMinutes = (session.end.getTime() - windowStart) / MINUTE;
    // What the earlier pace would have traded in the window; zero when nothing traded before.
    const expected = earlierMinutes > 0 ? tally.earlier.mul(windowMinutes).div(earlierMinutes) : dec(0);
    if (tally.window.lte(expected.mul(dec(config.volumeMultiple)))) return [];
    tally.flagged = true;

    const shares = [...tally.byParticipant].map(([participantId, volume]) => ({ participantId, volume, share: percentOf(volume, tally.window) }));
    shares.sort((a, b) => b.volume.cmp(a.volume) || (BigInt(a.participantId) < BigInt(b.participantId) ? -1 : 1));
    const dominant = shares.filter((s) => s.share.gte(dec(config.dominantSharePct)));
    const named = dominant.length > 0 ? dominant : shares.slice(0, 1);
    return [
      {
        rule: 'marking_the_close',
        severity: 'warning',
        symbol: event.symbol,
        participantIds: named.map((s) => s.participantId),
        message: `${event.symbol}: ${inScaleOf(tally.window, event.quantity)} traded in the last ${windowMinutes} minutes of session ${session.key}, against ${inScaleOf(tally.earlier, event.quantity)} in the ${earlierMinutes} minutes before; largest: participant ${named[0]!.participantId} with ${percentText(named[0]!.share)}%`,
        details: {
          session: session.key,
          sessionEnd: session.end.toISOString(),
          windowMinutes,
          windowVolume: inScaleOf(tally.window, event.quantity),
          windowTrades: tally.windowTrades,
          earlierVolume: inScaleOf(tally.earlier, event.quantity),
          earlierMinutes,
          expectedWindowVolume: expected.toDecimalPlaces(8).toString(),
          volumeMultiple: config.volumeMultiple,
          participants: shares.map((s) => ({ participantId: s.participantId, volume: inScaleOf(s.volume, event.quantity), sharePct: percentText(s.share) })),
        },
        dedupeKey: `marking_the_close:${session.key}:${event.symbol}`,
      },
    ];
  },
};
