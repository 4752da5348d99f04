import { Type, type Static } from 'typebox';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { dec, fixed, money } from '../shared/decimal.ts';
import { cappedMinimum } from './listing-terms.ts';
import { biddingOpen, marginFor, minimumOpenBid, sealedNow } from './listing-rules.ts';
import { scheduleView, windowsOf } from './listing-schedule.ts';
import { saleHeading } from './sale-heading.ts';
import { bestOpenBid, standingBids, type AwardRow, type BidRow, type ListingRow, type RegistrationRow } from './listing-store.ts';
import { ListingRulesView } from '../../contract/listing-rules.ts';
import { rulesView, type RuleFacts } from './listing-rule-views.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ListingBidSchema = Type.Object({
  id: Type.String(),
  listingId: Type.String(),
  bidderNo: Type.Integer({ description: '竞买号: bidders see each other only by this number' }),
  price: Type.String(),
  quantity: Type.String(),
  at: Type.String(),
  mine: Type.Boolean(),
  bidder: Nullable(Type.Object({ id: Type.String(), name: Type.String() }, { description: 'regulator and operator only' })),
});
export type ListingBidView = Static<typeof ListingBidSchema>;

export const ListingSchema = Type.Object({
  id: Type.String(),
  symbol: Type.String(),
  instrumentName: Type.String(),
  unit: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String()),
  mode: Type.Union([Type.Literal('open'), Type.Literal('sealed')]),
  seller: Type.Object({ id: Type.String(), name: Type.String() }),
  quantity: Type.String(),
  startPrice: Type.String(),
  guidancePrice: Type.String(),
  bidIncrement: Nullable(Type.String()),
  marginPct: Type.String(),
  margin: Type.String({ description: 'margin for the whole quantity; a sealed-bid registration for part of it locks the same percentage of start price × its part' }),
  registrationOpensAt: Type.String(),
  registrationClosesAt: Type.String(),
  biddingOpensAt: Type.String(),
  biddingClosesAt: Type.String({ description: 'the close now in force (anti-sniping extensions included)' }),
  scheduledCloseAt: Type.String(),
  antiSnipingSeconds: Type.Integer(),
  extensions: Type.Integer(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closing'), Type.Literal('awarded'), Type.Literal('failed'), Type.Literal('cancelled')]),
  phase: Type.Union(
    [
      Type.Literal('upcoming'),
      Type.Literal('registration'),
      Type.Literal('waiting'),
      Type.Literal('bidding'),
      Type.Literal('closing'),
      Type.Literal('awarded'),
      Type.Literal('failed'),
      Type.Literal('cancelled'),
    ],
    { description: 'upcoming → registration → (waiting) → bidding → closing → awarded | failed | cancelled' },
  ),
  registrationOpen: Type.Boolean(),
  biddingOpen: Type.Boolean(),
  sealed: Type.Boolean({ description: 'a sealed listing before its result: bidders, bids and their counts stay hidden from everyone, staff included' }),
  bidders: Nullable(Type.Integer({ description: 'null while sealed' })),
  bids: Nullable(Type.Integer({ description: 'null while sealed' })),
  bestPrice: Nullable(Type.String({ description: 'open mode only; sealed bids stay hidden until the close' })),
  bestBidderNo: Nullable(Type.Integer()),
  minimumBid: Nullable(Type.String({ description: 'lowest acceptable next bid' })),
  clearingPrice: Nullable(Type.String()),
  soldQuantity: Nullable(Type.String()),
  resultReason: Nullable(Type.String()),
  awards: Type.Array(Type.Object({ bidderNo: Type.Integer(), price: Type.String(), quantity: Type.String(), tradeId: Nullable(Type.String()), status: Type.String() })),
  createdAt: Type.String(),
  closedAt: Nullable(Type.String()),
  rules: ListingRulesView,
  me: Nullable(
    Type.Object({
      registered: Type.Boolean(),
      bidderNo: Nullable(Type.Integer()),
      quantity: Nullable(Type.String()),
      margin: Nullable(Type.String()),
      leading: Type.Boolean(),
      bid: Nullable(Type.Object({ price: Type.String(), quantity: Type.String(), at: Type.String() })),
      isSeller: Type.Boolean(),
    }),
  ),
});
export type ListingView = Static<typeof ListingSchema>;

export const RegistrationSchema = Type.Object({
  id: Type.String(),
  listingId: Type.String(),
  bidderNo: Type.Integer(),
  quantity: Type.String(),
  margin: Type.String(),
  status: Type.String(),
  createdAt: Type.String(),
  participant: Nullable(Type.Object({ id: Type.String(), name: Type.String() }, { description: 'regulator and operator only' })),
});
export type RegistrationView = Static<typeof RegistrationSchema>;

/** Who is looking: bidders are anonymous to each other and to the seller, never to the regulator. */
export interface Viewer {
  role: 'participant' | 'regulator' | 'operator' | 'public';
  participantId: string | null;
}

export interface ListingFacts {
  row: ListingRow;
  spec: InstrumentSpec;
  sellerName: string;
  registrations: RegistrationRow[];
  bids: BidRow[];
  awards: AwardRow[];
  names: Map<string, string>;
  rules: RuleFacts;
}

const seesNames = (viewer: Viewer) => viewer.role === 'regulator' || viewer.role === 'operator';

export function listingView(f: ListingFacts, viewer: Viewer, now: Date): ListingView {
  const { row, spec } = f;
  const price = (v: string) => fixed(v, spec.pricePlaces);
  const qty = (v: string) => fixed(v, spec.qtyPlaces);
  const byRegistration = new Map(f.registrations.map((r) => [r.id, r]));
  const best = row.mode === 'open' ? bestOpenBid(f.registrations, f.bids) : null;
  const bestRegistration = best ? byRegistration.get(best.registration_id) : undefined;
  const mine = viewer.participantId ? f.registrations.find((r) => r.participant_id === viewer.participantId) : undefined;
  const myBid = mine ? standingBids([{ ...mine, status: 'active' }], f.bids).get(mine.id) : undefined;
  const open = row.status === 'open';
  const sealed = sealedNow(row.mode, row.status);
  const rules = rulesView(row, f.rules, f.registrations, f.names, viewer, now, spec.pricePlaces);
  // An undecided objection suspends bidding; a reached cap ends ordinary bidding.
  const held = rules.objectionPending || rules.capStage === 'acceptance' || rules.capStage === 'draw';
  return {
    ...saleHeading(row, spec),
    mode: row.mode,
    seller: { id: row.seller_id, name: f.sellerName },
    quantity: qty(row.quantity),
    startPrice: price(row.start_price),
    guidancePrice: price(row.guidance_price),
    bidIncrement: row.bid_increment === null ? null : price(row.bid_increment),
    marginPct: dec(row.margin_pct).toString(),
    margin: money(marginFor(dec(row.start_price), dec(row.quantity), dec(row.margin_pct))),
    ...scheduleView(row, now),
    biddingOpen: biddingOpen(row.status, windowsOf(row), now) && !held,
    sealed,
    bidders: sealed ? null : f.registrations.length,
    bids: sealed ? null : f.bids.length,
    bestPrice: best ? price(best.price) : null,
    bestBidderNo: bestRegistration?.bidder_no ?? null,
    minimumBid:
      open && row.mode === 'open'
        ? price(cappedMinimum(minimumOpenBid(dec(row.start_price), dec(row.bid_increment!), best ? dec(best.price) : null), row.price_cap).toString())
        : open
          ? price(row.start_price)
          : null,
    clearingPrice: row.clearing_price === null || sealed ? null : price(row.clearing_price),
    soldQuantity: row.sold_quantity === null ? null : qty(row.sold_quantity),
    resultReason: row.result_reason,
    awards: (sealed ? [] : f.awards).map((a) => ({
      bidderNo: byRegistration.get(a.registration_id)?.bidder_no ?? 0,
      price: price(a.price),
      quantity: qty(a.quantity),
      tradeId: a.trade_id,
      status: a.status,
    })),
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    rules,
    me:
      viewer.role === 'participant'
        ? {
            registered: mine !== undefined,
            bidderNo: mine?.bidder_no ?? null,
            quantity: mine ? qty(mine.quantity) : null,
            margin: mine ? money(mine.margin) : null,
            leading: mine !== undefined && bestRegistration?.id === mine.id,
            bid: myBid ? { price: price(myBid.price), quantity: qty(myBid.quantity), at: myBid.created_at.toISOString() } : null,
            isSeller: viewer.participantId === row.seller_id,
          }
        : null,
  };
}

/**
 * The bids a viewer may see. Open bids are public to registered bidders and the seller, by
 * bidder number, and to the regulator and the operator with the bidder's name. Sealed bids are
 * hidden from everyone but their own bidder until the close — staff included, unless a
 * regulator breaks the glass (`unsealed`, an audited action).
 */
export function visibleBids(f: ListingFacts, viewer: Viewer, unsealed = false): ListingBidView[] {
  const byRegistration = new Map(f.registrations.map((r) => [r.id, r]));
  const named = seesNames(viewer);
  const own = viewer.participantId ? f.registrations.find((r) => r.participant_id === viewer.participantId) : undefined;
  const involved = own !== undefined || viewer.participantId === f.row.seller_id;
  const hidden = sealedNow(f.row.mode, f.row.status) && !unsealed;
  return f.bids
    .filter((b) => b.registration_id === own?.id || (!hidden && (named || involved)))
    .map((b) => bidView(f, b, byRegistration.get(b.registration_id)!, viewer, named));
}

/** The registrations a viewer may see: its own; staff see all, but for a sealed listing's before the close. */
export function visibleRegistrations(f: ListingFacts, viewer: Viewer, unsealed = false): RegistrationView[] {
  const hidden = sealedNow(f.row.mode, f.row.status) && !unsealed;
  const visible = f.registrations.filter((r) => r.participant_id === viewer.participantId || (seesNames(viewer) && !hidden));
  return visible.map((r) => registrationView(f, r, viewer));
}

export function bidView(f: Pick<ListingFacts, 'spec' | 'names'>, bid: BidRow, registration: RegistrationRow, viewer: Viewer, named: boolean): ListingBidView {
  return {
    id: bid.id,
    listingId: bid.listing_id,
    bidderNo: registration.bidder_no,
    price: fixed(bid.price, f.spec.pricePlaces),
    quantity: fixed(bid.quantity, f.spec.qtyPlaces),
    at: bid.created_at.toISOString(),
    mine: viewer.participantId !== null && registration.participant_id === viewer.participantId,
    bidder: named ? { id: registration.participant_id, name: f.names.get(registration.participant_id) ?? '' } : null,
  };
}

export function registrationView(f: Pick<ListingFacts, 'spec' | 'names'>, r: RegistrationRow, viewer: Viewer): RegistrationView {
  return {
    id: r.id,
    listingId: r.listing_id,
    bidderNo: r.bidder_no,
    quantity: fixed(r.quantity, f.spec.qtyPlaces),
    margin: money(r.margin),
    status: r.status,
    createdAt: r.created_at.toISOString(),
    participant: seesNames(viewer) ? { id: r.participant_id, name: f.names.get(r.participant_id) ?? '' } : null,
  };
}
