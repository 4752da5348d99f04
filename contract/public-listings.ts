import { Type, type Static } from 'typebox';

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
});
export type PublicAnnouncement = Static<typeof PublicAnnouncement>;

export const PublicResult = Type.Object({
  ...SaleFields,
  outcome: Type.Union([Type.Literal('awarded'), Type.Literal('failed')], { description: 'awarded (成交) or failed (流拍)' }),
  quantity: Type.String({ description: 'quantity offered' }),
  soldQuantity: Type.String(),
  price: Type.Union([Money('clearing price per unit'), Type.Null()]),
  winners: Type.Array(Type.String(), { description: 'the bodies awarded the lot, as the rules publish them' }),
  closedAt: Instant('when the result was set'),
});
export type PublicResult = Static<typeof PublicResult>;

export const PublicListings = Type.Object({
  announcements: Type.Array(PublicAnnouncement, { description: 'listings not yet closed, soonest bidding close first' }),
  results: Type.Array(PublicResult, { description: 'the 20 most recent results, newest first' }),
});
export type PublicListings = Static<typeof PublicListings>;
