import { LOTTERY_RECIPE } from '../../contract/rules/listing-lottery.ts';
import type { ListingObjection, ListingRulesView, LotteryResult } from '../../contract/listing-rules.ts';
import { dec, fixed } from '../shared/decimal.ts';
import type { AcceptanceRow, LotteryRow, ObjectionRow } from './listing-rule-store.ts';
import type { ListingRow, RegistrationRow } from './listing-store.ts';
import { capAcceptanceCloses } from './listing-terms.ts';

// How a listing's cap, reserve, objections and draw look to a viewer. The reserve's amount is for
// the seller and staff; bidders and the public learn only that there is one. Objections are
// public without the objector's name (staff see it).

export interface RuleFacts {
  objections: ObjectionRow[];
  acceptances: AcceptanceRow[];
  lottery: LotteryRow | null;
  relistedAs: string | null;
}

export interface RuleViewer {
  role: 'participant' | 'regulator' | 'operator' | 'public';
  participantId: string | null;
}

const staff = (v: RuleViewer) => v.role === 'operator' || v.role === 'regulator';

export function objectionView(o: ObjectionRow, viewer: RuleViewer, names: Map<string, string>): ListingObjection {
  return {
    id: o.id,
    listingId: o.listing_id,
    reason: o.reason,
    filedAt: o.created_at.toISOString(),
    status: o.outcome ?? 'pending',
    decision: o.outcome ? { outcome: o.outcome, reason: o.decision_reason!, at: o.decided_at!.toISOString() } : null,
    mine: viewer.participantId !== null && viewer.participantId === o.participant_id,
    objector: staff(viewer) ? { id: o.participant_id, name: names.get(o.participant_id) ?? '' } : null,
  };
}

export function lotteryView(l: LotteryRow): LotteryResult {
  return {
    commitment: l.commitment,
    seed: l.seed,
    listingId: String(l.listing_id),
    entrants: l.entrants,
    message: `${l.seed}|${l.listing_id}|${l.entrants.join(',')}`,
    digest: l.digest,
    winnerIndex: l.winner_index,
    winner: l.entrants[l.winner_index]!,
    recipe: LOTTERY_RECIPE,
    drawnAt: l.drawn_at.toISOString(),
  };
}

export function capStageOf(row: ListingRow, lottery: LotteryRow | null, now: Date): ListingRulesView['capStage'] {
  if (row.price_cap === null) return 'none';
  if (lottery) return 'drawn';
  if (row.cap_reached_at === null) return 'open';
  return now < capAcceptanceCloses(row.cap_reached_at, row.cap_window_minutes!) && row.status === 'open' ? 'acceptance' : 'draw';
}

export function rulesView(row: ListingRow, rf: RuleFacts, registrations: RegistrationRow[], names: Map<string, string>, viewer: RuleViewer, now: Date, pricePlaces: number): ListingRulesView {
  const isSeller = viewer.participantId !== null && viewer.participantId === row.seller_id;
  const mine = registrations.find((r) => viewer.participantId !== null && r.participant_id === viewer.participantId);
  const lottery = rf.lottery;
  return {
    priceCap: row.price_cap === null ? null : fixed(row.price_cap, pricePlaces),
    capPct: row.cap_pct === null ? null : dec(row.cap_pct).toString(),
    capWindowMinutes: row.cap_window_minutes,
    seedCommitment: row.seed_commitment,
    capStage: capStageOf(row, lottery, now),
    capReachedAt: row.cap_reached_at?.toISOString() ?? null,
    capAcceptanceClosesAt: row.cap_reached_at ? capAcceptanceCloses(row.cap_reached_at, row.cap_window_minutes!).toISOString() : null,
    capEntrants: row.price_cap === null ? null : rf.acceptances.length,
    lottery: lottery ? lotteryView(lottery) : null,
    minBidders: row.min_bidders,
    hasReserve: row.reserve_price !== null,
    reservePrice: row.reserve_price !== null && (isSeller || staff(viewer)) ? fixed(row.reserve_price, pricePlaces) : null,
    failureCode: row.failure_code,
    relistOf: row.relist_of,
    relistedAs: rf.relistedAs,
    objections: rf.objections.map((o) => objectionView(o, viewer, names)),
    objectionPending: rf.objections.some((o) => o.outcome === null),
    acceptedCap: mine !== undefined && rf.acceptances.some((a) => a.registration_id === mine.id),
  };
}
