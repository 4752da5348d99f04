import { Type, type Static } from 'typebox';
import { DecimalString, Nullable, StringEnum } from './common.ts';

// Demand listings (需求挂牌, issue 15): a buyer announces what it wants to buy with a starting
// (highest) price, a floor and a decrement; holders register with a cash margin and bid the price
// down; the lowest bid wins at the close. Also pushed live as `demandListing`.

export const DEMAND_STATUSES = ['open', 'closing', 'awarded', 'failed', 'cancelled'] as const;
export type DemandStatus = (typeof DEMAND_STATUSES)[number];
export const DEMAND_PHASES = ['upcoming', 'registration', 'waiting', 'bidding', 'closing', 'awarded', 'failed', 'cancelled'] as const;
export type DemandPhase = (typeof DEMAND_PHASES)[number];

const Instant = (description: string) => Type.String({ format: 'date-time', description });

export const CreateDemandBody = Type.Object(
  {
    symbol: Type.String({ minLength: 1, maxLength: 40 }),
    title: Type.String({ minLength: 2, maxLength: 200, description: 'e.g. 南昌经开区2026年度耕地占补平衡指标需求挂牌' }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    quantity: DecimalString('quantity wanted, a multiple of the lot size'),
    startPrice: DecimalString('starting (highest) price per unit; the buyer’s cash for quantity × this price (+ fee) is locked until the close'),
    floorPrice: DecimalString('lowest acceptable price per unit; not below the guidance price (指导价)'),
    decrement: DecimalString('bid step: each bid is at least this much under the current lowest'),
    marginPct: DecimalString('seller margin (保证金), percent of starting price × quantity, e.g. "5"'),
    registrationOpensAt: Instant('registration (公示/报名) opens'),
    registrationClosesAt: Instant('registration closes'),
    biddingOpensAt: Instant('bidding opens'),
    biddingClosesAt: Instant('bidding closes, before any anti-sniping extension'),
    antiSnipingSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600, description: 'a bid this close to the end extends it by as much' })),
  },
  { additionalProperties: false },
);
export type CreateDemandBody = Static<typeof CreateDemandBody>;

export const DemandBidBody = Type.Object({ price: DecimalString('price per unit: at most the current lowest less the decrement, at least the floor') }, { additionalProperties: false });
export type DemandBidBody = Static<typeof DemandBidBody>;

export const DemandCancelBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });

export const DemandListQuery = Type.Object(
  {
    status: StringEnum(['active', 'closed', 'all'] as const, { default: 'active' }),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

export const DemandParty = Type.Object({ id: Type.String(), name: Type.String() });

export const DemandBid = Type.Object({
  id: Type.String(),
  demandListingId: Type.String(),
  bidderNo: Type.Integer({ description: '竞价号: sellers see each other only by this number' }),
  price: Type.String(),
  at: Type.String(),
  mine: Type.Boolean(),
  seller: Nullable(Type.Object({ id: Type.String(), name: Type.String() }, { description: 'regulator and operator only' })),
});
export type DemandBid = Static<typeof DemandBid>;

export const DemandRegistration = Type.Object({
  id: Type.String(),
  demandListingId: Type.String(),
  bidderNo: Type.Integer(),
  margin: Type.String(),
  status: StringEnum(['active', 'won', 'lost', 'withdrawn'] as const),
  createdAt: Type.String(),
});
export type DemandRegistration = Static<typeof DemandRegistration>;

export const DemandListing = Type.Object({
  id: Type.String(),
  symbol: Type.String(),
  instrumentName: Type.String(),
  unit: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String()),
  buyer: DemandParty,
  quantity: Type.String(),
  startPrice: Type.String(),
  floorPrice: Type.String(),
  guidancePrice: Type.String(),
  decrement: Type.String(),
  marginPct: Type.String(),
  margin: Type.String({ description: 'the margin a seller locks on registering' }),
  buyerLock: Type.String({ description: 'cash the buyer locked at publication: quantity × starting price + buyer fee' }),
  registrationOpensAt: Type.String(),
  registrationClosesAt: Type.String(),
  biddingOpensAt: Type.String(),
  biddingClosesAt: Type.String({ description: 'the close now in force (anti-sniping extensions included)' }),
  scheduledCloseAt: Type.String(),
  antiSnipingSeconds: Type.Integer(),
  extensions: Type.Integer(),
  status: StringEnum(DEMAND_STATUSES),
  phase: StringEnum(DEMAND_PHASES, { description: 'upcoming → registration → (waiting) → bidding → closing → awarded | failed | cancelled' }),
  registrationOpen: Type.Boolean(),
  biddingOpen: Type.Boolean(),
  sellers: Type.Integer({ description: 'registered sellers' }),
  bids: Type.Integer(),
  lowestPrice: Nullable(Type.String({ description: 'the current lowest bid' })),
  lowestBidderNo: Nullable(Type.Integer()),
  nextBidAtMost: Nullable(Type.String({ description: 'the highest price the next bid may name; null when the floor is reached or bidding is over' })),
  clearingPrice: Nullable(Type.String()),
  resultReason: Nullable(Type.String()),
  award: Nullable(Type.Object({ bidderNo: Type.Integer(), price: Type.String(), quantity: Type.String(), tradeId: Nullable(Type.String()), status: Type.String(), seller: Nullable(DemandParty) })),
  createdAt: Type.String(),
  closedAt: Nullable(Type.String()),
  me: Nullable(
    Type.Object({
      isBuyer: Type.Boolean(),
      registered: Type.Boolean(),
      bidderNo: Nullable(Type.Integer()),
      margin: Nullable(Type.String()),
      leading: Type.Boolean(),
      myLowest: Nullable(Type.String()),
    }),
  ),
});
export type DemandListing = Static<typeof DemandListing>;

export const DemandBidResult = Type.Object({ bid: DemandBid, demandListing: DemandListing });
export type DemandBidResult = Static<typeof DemandBidResult>;

// What anyone may read without signing in (需求挂牌公告 and 结果公示).
export const PublicDemandAnnouncement = Type.Object({
  id: Type.String(),
  title: Type.String(),
  symbol: Type.String(),
  nameZh: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  buyer: Type.String({ description: 'the buying body, as the announcement names it' }),
  phase: StringEnum(['upcoming', 'registration', 'waiting', 'bidding', 'closing'] as const),
  quantity: Type.String(),
  startPrice: Type.String(),
  floorPrice: Type.String(),
  decrement: Type.String(),
  marginPct: Type.String(),
  lowestPrice: Nullable(Type.String()),
  registrationOpensAt: Type.String(),
  registrationClosesAt: Type.String(),
  biddingOpensAt: Type.String(),
  biddingClosesAt: Type.String(),
});
export type PublicDemandAnnouncement = Static<typeof PublicDemandAnnouncement>;

export const PublicDemandResult = Type.Object({
  id: Type.String(),
  title: Type.String(),
  symbol: Type.String(),
  nameZh: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  buyer: Type.String(),
  outcome: StringEnum(['awarded', 'failed'] as const, { description: 'awarded (成交) or failed (流拍)' }),
  quantity: Type.String(),
  price: Nullable(Type.String({ description: 'winning price per unit' })),
  seller: Nullable(Type.String({ description: 'the body awarded the sale' })),
  closedAt: Type.String(),
});
export type PublicDemandResult = Static<typeof PublicDemandResult>;

export const PublicDemandListings = Type.Object({
  announcements: Type.Array(PublicDemandAnnouncement, { description: 'demand listings not yet closed, soonest close first' }),
  results: Type.Array(PublicDemandResult, { description: 'the 20 most recent results, newest first' }),
});
export type PublicDemandListings = Static<typeof PublicDemandListings>;
