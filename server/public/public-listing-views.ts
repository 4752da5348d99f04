import { addWorkingDays } from '../../contract/listing-windows.ts';
import type { PublicAnnouncement, PublicListingRules, PublicResult } from '../../contract/public-listings.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { capStageOf, lotteryView } from '../listings/listing-rule-views.ts';
import { capAcceptanceCloses } from '../listings/listing-terms.ts';
import { listingPhase } from '../listings/listing-rules.ts';
import { windowsOf } from '../listings/listing-schedule.ts';
import { dec, fixed } from '../shared/decimal.ts';
import type { AnnouncementRow, PublicRuleFacts, ResultRow } from './public-listing-queries.ts';

/** The fields an announcement and a result share: the sale, its instrument and its seller. */
const saleOf = (row: { id: string; title: string; seller: string; mode: 'open' | 'sealed' }, spec: InstrumentSpec) => ({
  id: String(row.id),
  title: row.title,
  symbol: spec.symbol,
  nameZh: spec.row.name_zh,
  name: spec.row.name,
  unit: spec.row.unit,
  seller: row.seller,
  mode: row.mode,
});

/** What the public learns of the cap, the reserve and the objections: never who objected, nor the reserve's amount. */
function rulesOf(row: AnnouncementRow, spec: InstrumentSpec, facts: PublicRuleFacts, now: Date): PublicListingRules {
  const objections = facts.objections.get(String(row.id)) ?? [];
  const lottery = facts.lotteries.get(String(row.id)) ?? null;
  return {
    priceCap: row.price_cap === null ? null : fixed(row.price_cap, spec.pricePlaces),
    capPct: row.cap_pct === null ? null : dec(row.cap_pct).toString(),
    capWindowMinutes: row.cap_window_minutes,
    capStage: capStageOf(row, lottery, now),
    capAcceptanceClosesAt: row.cap_reached_at ? capAcceptanceCloses(row.cap_reached_at, row.cap_window_minutes!).toISOString() : null,
    seedCommitment: row.seed_commitment,
    lottery: lottery ? lotteryView(lottery) : null,
    minBidders: row.min_bidders,
    hasReserve: row.reserve_price !== null,
    objections: objections.map((o) => ({
      id: String(o.id),
      reason: o.reason,
      filedAt: o.created_at.toISOString(),
      status: o.outcome ?? 'pending',
      decision: o.outcome ? { outcome: o.outcome, reason: o.decision_reason!, at: o.decided_at!.toISOString() } : null,
    })),
    objectionPending: objections.some((o) => o.outcome === null),
  };
}

export function announcementOf(row: AnnouncementRow, spec: InstrumentSpec, facts: PublicRuleFacts, now: Date): PublicAnnouncement {
  const windows = windowsOf(row);
  const phase = listingPhase('open', windows, now);
  return {
    ...saleOf(row, spec),
    phase: phase as PublicAnnouncement['phase'],
    quantity: fixed(row.quantity, spec.qtyPlaces),
    startPrice: fixed(row.start_price, spec.pricePlaces),
    marginPct: String(Number(row.margin_pct)),
    registrationOpensAt: windows.registrationOpensAt.toISOString(),
    registrationClosesAt: windows.registrationClosesAt.toISOString(),
    biddingOpensAt: windows.biddingOpensAt.toISOString(),
    biddingClosesAt: windows.biddingClosesAt.toISOString(),
    rules: rulesOf(row, spec, facts, now),
  };
}

/** Until when a result stays on the results board (成交公示): its working days after the close. */
export const onBoardUntil = (row: Pick<ResultRow, 'closed_at' | 'results_working_days'>) => addWorkingDays(row.closed_at, row.results_working_days);

export function resultOf(row: ResultRow, spec: InstrumentSpec, facts: PublicRuleFacts, now: Date): PublicResult {
  return {
    ...saleOf(row, spec),
    outcome: row.status,
    failureCode: row.failure_code,
    reason: row.status === 'awarded' ? null : row.result_reason,
    quantity: fixed(row.quantity, spec.qtyPlaces),
    soldQuantity: fixed(row.sold_quantity ?? '0', spec.qtyPlaces),
    price: row.status === 'awarded' && row.clearing_price !== null ? fixed(row.clearing_price, spec.pricePlaces) : null,
    winners: [...row.winners].sort(),
    closedAt: row.closed_at.toISOString(),
    onBoardUntil: onBoardUntil(row).toISOString(),
    rules: rulesOf(row, spec, facts, now),
  };
}
