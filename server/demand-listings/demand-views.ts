import type { DemandBid, DemandListing, DemandRegistration, PublicDemandAnnouncement, PublicDemandResult } from '../../contract/demand-listings.ts';
import { highestNextBidTicks } from '../../contract/rules/demand-bids.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { buyerCost } from '../ledger/trade-economics.ts';
import { biddingOpen, marginFor } from '../listings/listing-rules.ts';
import { scheduleView, windowsOf } from '../listings/listing-schedule.ts';
import { saleHeading } from '../listings/sale-heading.ts';
import type { Actor } from '../engine/commands.ts';
import { dec, fixed, money, type Dec } from '../shared/decimal.ts';
import type { DemandAwardRow, DemandBidRow, DemandRegistrationRow, DemandRow } from './demand-store.ts';

// Demand listing rows as the contract shapes them, for each viewer: sellers appear to each other
// and to the buyer by number only; the regulator and the operator see names.

/** Who is looking: sellers are anonymous to each other and to the buyer, never to staff. */
export interface Viewer {
  role: 'participant' | 'regulator' | 'operator' | 'public';
  participantId: string | null;
}

/** A caller acting on a demand listing: the user (for the audit log) and whose behalf it acts on. */
export interface DemandCaller {
  actor: Actor;
  viewer: Viewer;
}

export interface DemandFacts {
  row: DemandRow;
  spec: InstrumentSpec;
  registrations: DemandRegistrationRow[];
  bids: DemandBidRow[];
  award: DemandAwardRow | undefined;
  names: Map<string, string>;
}

const seesNames = (viewer: Viewer) => viewer.role === 'regulator' || viewer.role === 'operator';

/** 保证金 of one seller: the margin percentage of starting price × quantity, at least a fen. */
export function sellerMargin(row: Pick<DemandRow, 'start_price' | 'quantity' | 'margin_pct'>): Dec {
  const margin = marginFor(dec(row.start_price), dec(row.quantity), dec(row.margin_pct));
  return margin.gt('0.01') ? margin : dec('0.01');
}

export const priceTicks = (spec: InstrumentSpec, price: string) => dec(price).div(spec.tick).toNumber();

/** The lowest bid of a seller still in; bids only go down, so it is the latest such bid. */
export function lowestBid(registrations: DemandRegistrationRow[], bids: DemandBidRow[]): DemandBidRow | null {
  const active = new Set(registrations.filter((r) => r.status === 'active' || r.status === 'won').map((r) => r.id));
  let lowest: DemandBidRow | null = null;
  for (const bid of bids) if (active.has(bid.registration_id) && (!lowest || dec(bid.price).lt(lowest.price))) lowest = bid;
  return lowest;
}

export function demandView(f: DemandFacts, viewer: Viewer, now: Date): DemandListing {
  const { row, spec } = f;
  const price = (v: string) => fixed(v, spec.pricePlaces);
  const byRegistration = new Map(f.registrations.map((r) => [r.id, r]));
  const lowest = lowestBid(f.registrations, f.bids);
  const lowestRegistration = lowest ? byRegistration.get(lowest.registration_id) : undefined;
  const next = highestNextBidTicks(
    { startTicks: priceTicks(spec, row.start_price), floorTicks: priceTicks(spec, row.floor_price), decrementTicks: priceTicks(spec, row.decrement) },
    lowest ? priceTicks(spec, lowest.price) : null,
  );
  const mine = viewer.participantId ? f.registrations.find((r) => r.participant_id === viewer.participantId) : undefined;
  const myBids = mine ? f.bids.filter((b) => b.registration_id === mine.id) : [];
  const awardRegistration = f.award ? byRegistration.get(f.award.registration_id) : undefined;
  const lots = spec.quantityToLots(row.quantity);
  return {
    ...saleHeading(row, spec),
    buyer: { id: row.buyer_id, name: f.names.get(row.buyer_id) ?? '' },
    quantity: fixed(row.quantity, spec.qtyPlaces),
    startPrice: price(row.start_price),
    floorPrice: price(row.floor_price),
    guidancePrice: price(row.guidance_price),
    decrement: price(row.decrement),
    marginPct: dec(row.margin_pct).toString(),
    margin: money(sellerMargin(row)),
    buyerLock: money(buyerCost(spec, priceTicks(spec, row.start_price), lots)),
    ...scheduleView(row, now),
    biddingOpen: biddingOpen(row.status, windowsOf(row), now),
    sellers: f.registrations.length,
    bids: f.bids.length,
    lowestPrice: lowest ? price(lowest.price) : null,
    lowestBidderNo: lowestRegistration?.bidder_no ?? null,
    nextBidAtMost: row.status === 'open' && next !== null ? spec.ticksToPrice(next) : null,
    clearingPrice: row.clearing_price === null ? null : price(row.clearing_price),
    resultReason: row.result_reason,
    award: f.award
      ? {
          bidderNo: awardRegistration?.bidder_no ?? 0,
          price: price(f.award.price),
          quantity: fixed(f.award.quantity, spec.qtyPlaces),
          tradeId: f.award.trade_id,
          status: f.award.status,
          // The buyer learns whom it bought from once the sale is decided, as the result publishes it.
          seller: awardRegistration && (seesNames(viewer) || viewer.participantId === row.buyer_id || viewer.participantId === awardRegistration.participant_id)
            ? { id: awardRegistration.participant_id, name: f.names.get(awardRegistration.participant_id) ?? '' }
            : null,
        }
      : null,
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    me:
      viewer.role === 'participant'
        ? {
            isBuyer: viewer.participantId === row.buyer_id,
            registered: mine !== undefined,
            bidderNo: mine?.bidder_no ?? null,
            margin: mine ? money(mine.margin) : null,
            leading: mine !== undefined && lowestRegistration?.id === mine.id,
            myLowest: myBids.length > 0 ? price(myBids[myBids.length - 1]!.price) : null,
          }
        : null,
  };
}

export function demandBidView(f: Pick<DemandFacts, 'spec' | 'names'>, bid: DemandBidRow, registration: DemandRegistrationRow, viewer: Viewer): DemandBid {
  return {
    id: bid.id,
    demandListingId: bid.demand_listing_id,
    bidderNo: registration.bidder_no,
    price: fixed(bid.price, f.spec.pricePlaces),
    at: bid.created_at.toISOString(),
    mine: viewer.participantId !== null && registration.participant_id === viewer.participantId,
    seller: seesNames(viewer) ? { id: registration.participant_id, name: f.names.get(registration.participant_id) ?? '' } : null,
  };
}

/** Bids are public to the buyer, registered sellers and staff (by number; staff by name). */
export function visibleDemandBids(f: DemandFacts, viewer: Viewer): DemandBid[] {
  const involved = seesNames(viewer) || viewer.participantId === f.row.buyer_id || f.registrations.some((r) => r.participant_id === viewer.participantId);
  if (!involved) return [];
  const byRegistration = new Map(f.registrations.map((r) => [r.id, r]));
  return f.bids.map((b) => demandBidView(f, b, byRegistration.get(b.registration_id)!, viewer));
}

export const demandRegistrationView = (r: DemandRegistrationRow): DemandRegistration => ({
  id: r.id,
  demandListingId: r.demand_listing_id,
  bidderNo: r.bidder_no,
  margin: money(r.margin),
  status: r.status,
  createdAt: r.created_at.toISOString(),
});

export function publicAnnouncement(f: DemandFacts, now: Date): PublicDemandAnnouncement {
  const view = demandView(f, { role: 'public', participantId: null }, now);
  const phase = view.phase;
  return {
    id: view.id,
    title: view.title,
    symbol: view.symbol,
    nameZh: f.spec.row.name_zh,
    name: f.spec.row.name,
    unit: view.unit,
    buyer: view.buyer.name,
    phase: phase === 'awarded' || phase === 'failed' || phase === 'cancelled' ? 'closing' : phase,
    quantity: view.quantity,
    startPrice: view.startPrice,
    floorPrice: view.floorPrice,
    decrement: view.decrement,
    marginPct: view.marginPct,
    lowestPrice: view.lowestPrice,
    registrationOpensAt: view.registrationOpensAt,
    registrationClosesAt: view.registrationClosesAt,
    biddingOpensAt: view.biddingOpensAt,
    biddingClosesAt: view.biddingClosesAt,
  };
}

export function publicResult(f: DemandFacts): PublicDemandResult {
  const { row, spec } = f;
  const traded = f.award?.status === 'traded' ? f.award : undefined;
  const winner = traded ? f.registrations.find((r) => r.id === traded.registration_id) : undefined;
  return {
    id: row.id,
    title: row.title,
    symbol: row.symbol,
    nameZh: spec.row.name_zh,
    name: spec.row.name,
    unit: spec.row.unit,
    buyer: f.names.get(row.buyer_id) ?? '',
    outcome: row.status === 'awarded' ? 'awarded' : 'failed',
    quantity: fixed(row.quantity, spec.qtyPlaces),
    price: traded ? fixed(traded.price, spec.pricePlaces) : null,
    seller: winner ? (f.names.get(winner.participant_id) ?? '') : null,
    closedAt: (row.closed_at ?? row.created_at).toISOString(),
  };
}
