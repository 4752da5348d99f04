import { Type, type Static } from 'typebox';
import { Nullable, StringEnum } from './common.ts';
import { CAP_STAGES, FAILURE_CODES, LotteryResult } from './listing-rules.ts';

// What a sale announces to everyone (挂牌公告) and what it published when it ended (成交公示):
// the terms and windows of every listing still open, and the recent results with their winners.
// A sealed listing shows its terms only — never how many registered or bid (issue 13, item 4).

const Instant = (description: string) => Type.String({ format: 'date-time', description });
const Money = (description: string) => Type.String({ description: `${description}, CNY` });

export const PublicListingPhase = Type.Union([Type.Literal('upcoming'), Type.Literal('registration'), Type.Literal('waiting'), Type.Literal('bidding'), Type.Literal('closing')]);

/** What an announcement and a result both say of the sale. */
const SaleFields = {
  id: Type.String(),
  title: Type.String(),
  symbol: Type.String(),
  nameZh: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  seller: Type.String({ description: 'the selling body, as the announcement names it' }),
  mode: Type.Union([Type.Literal('open'), Type.Literal('sealed')]),
};

/** An objection as the public sees it: what was objected and the answer, never who objected. */
export const PublicObjection = Type.Object({
  id: Type.String(),
  reason: Type.String(),
  filedAt: Instant('when it was filed'),
  status: StringEnum(['pending', 'upheld', 'dismissed'] as const),
  decision: Nullable(Type.Object({ outcome: StringEnum(['upheld', 'dismissed'] as const), reason: Type.String(), at: Instant('when it was answered') })),
});
export type PublicObjection = Static<typeof PublicObjection>;

/** The listing rules an announcement publishes (issue 15): cap and lottery, least bidders, reserve, objections. */
export const PublicListingRules = Type.Object({
  priceCap: Nullable(Money('price cap (最高限价) per unit')),
  capPct: Nullable(Type.String({ description: 'the cap as a percentage of the start price, when the seller gave it so' })),
  capWindowMinutes: Nullable(Type.Integer()),
  capStage: StringEnum(CAP_STAGES),
  capAcceptanceClosesAt: Nullable(Instant('end of the cap-acceptance window')),
  seedCommitment: Nullable(Type.String({ description: 'SHA-256 of the lottery seed, published before bidding opens' })),
  lottery: Nullable(LotteryResult),
  minBidders: Type.Integer({ description: 'fewer registered bidders and the listing fails' }),
  hasReserve: Type.Boolean({ description: 'a reserve price (保留价) applies; its amount is not published' }),
  objections: Type.Array(PublicObjection),
  objectionPending: Type.Boolean({ description: 'bidding is suspended until the objection is answered' }),
});
export type PublicListingRules = Static<typeof PublicListingRules>;

export const PublicAnnouncement = Type.Object({
  ...SaleFields,
  phase: PublicListingPhase,
  quantity: Type.String(),
  startPrice: Money('start price per unit'),
  marginPct: Type.String({ description: 'margin a bidder lodges, percent of start price × quantity' }),
  registrationOpensAt: Instant('registration opens'),
  registrationClosesAt: Instant('registration closes'),
  biddingOpensAt: Instant('bidding opens'),
  biddingClosesAt: Instant('bidding closes (later if bids extend it)'),
  rules: PublicListingRules,
});
export type PublicAnnouncement = Static<typeof PublicAnnouncement>;

export const PublicResult = Type.Object({
  ...SaleFields,
  outcome: Type.Union([Type.Literal('awarded'), Type.Literal('failed'), Type.Literal('cancelled')], { description: 'awarded (成交), failed (流拍) or withdrawn (终止, e.g. an objection upheld)' }),
  failureCode: Nullable(StringEnum(FAILURE_CODES)),
  reason: Nullable(Type.String({ description: 'why it failed or was withdrawn' })),
  quantity: Type.String({ description: 'quantity offered' }),
  soldQuantity: Type.String(),
  price: Type.Union([Money('clearing price per unit'), Type.Null()]),
  winners: Type.Array(Type.String(), { description: 'the bodies awarded the lot, as the rules publish them' }),
  closedAt: Instant('when the result was set'),
  onBoardUntil: Instant('the result is on the results board (成交公示) until then, counted in working days'),
  rules: PublicListingRules,
});
export type PublicResult = Static<typeof PublicResult>;

export const PublicListings = Type.Object({
  announcements: Type.Array(PublicAnnouncement, { description: 'listings not yet closed, soonest bidding close first' }),
  results: Type.Array(PublicResult, { description: 'the results board (成交公示): results still within their publication days, newest first' }),
});
export type PublicListings = Static<typeof PublicListings>;

export const PublicListingNotice = Type.Object({
  announcement: Nullable(PublicAnnouncement),
  result: Nullable(PublicResult),
});
export type PublicListingNotice = Static<typeof PublicListingNotice>;

export const PublicResultsQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'results of listings with a lower id (the next page)' })),
  },
  { additionalProperties: false },
);
export type PublicResultsQuery = Static<typeof PublicResultsQuery>;
