import type { DecimalString } from '../../../shared/api/types.ts';
import type { ListingRulesView } from '../../../../../contract/listing-rules.ts';

export type { ListingRulesView };

// The listing auction (挂牌竞价) part of the HTTP contract: GET/POST /api/listings….
// Prices, quantities and money are decimal strings; times are ISO 8601.

export type ListingMode = 'open' | 'sealed';
export type ListingStatus = 'open' | 'closing' | 'awarded' | 'failed' | 'cancelled';
export type ListingPhase = 'upcoming' | 'registration' | 'waiting' | 'bidding' | 'closing' | 'awarded' | 'failed' | 'cancelled';

export interface ListingAward {
  bidderNo: number;
  price: DecimalString;
  quantity: DecimalString;
  tradeId: string | null;
  status: string;
}

/** What the caller itself has to do with the listing (participants only). */
export interface ListingMine {
  registered: boolean;
  bidderNo: number | null;
  quantity: DecimalString | null;
  margin: DecimalString | null;
  leading: boolean;
  bid: { price: DecimalString; quantity: DecimalString; at: string } | null;
  isSeller: boolean;
}

export interface Listing {
  id: string;
  symbol: string;
  instrumentName: string;
  unit: string;
  title: string;
  description: string | null;
  mode: ListingMode;
  seller: { id: string; name: string };
  quantity: DecimalString;
  startPrice: DecimalString;
  guidancePrice: DecimalString;
  bidIncrement: DecimalString | null;
  marginPct: DecimalString;
  margin: DecimalString;
  registrationOpensAt: string;
  registrationClosesAt: string;
  biddingOpensAt: string;
  /** The close in force, anti-sniping extensions included. */
  biddingClosesAt: string;
  scheduledCloseAt: string;
  antiSnipingSeconds: number;
  extensions: number;
  status: ListingStatus;
  phase: ListingPhase;
  registrationOpen: boolean;
  biddingOpen: boolean;
  /** A sealed listing before its result: bidders, bids and their counts are hidden from everyone. */
  sealed: boolean;
  /** Null while sealed. */
  bidders: number | null;
  bids: number | null;
  bestPrice: DecimalString | null;
  bestBidderNo: number | null;
  minimumBid: DecimalString | null;
  clearingPrice: DecimalString | null;
  soldQuantity: DecimalString | null;
  resultReason: string | null;
  awards: ListingAward[];
  createdAt: string;
  closedAt: string | null;
  /** Null in the public view (live board messages) and for regulators and the operator. */
  me: ListingMine | null;
  /** Cap and lottery, reserve, least bidders, objections (issue 15). */
  rules: ListingRulesView;
}

export interface ListingBid {
  id: string;
  listingId: string;
  /** 竞买号: bidders see each other only by this number. */
  bidderNo: number;
  price: DecimalString;
  quantity: DecimalString;
  at: string;
  mine: boolean;
  /** Regulator and operator only. */
  bidder: { id: string; name: string } | null;
}

export interface ListingRegistration {
  id: string;
  listingId: string;
  bidderNo: number;
  quantity: DecimalString;
  margin: DecimalString;
  status: string;
  createdAt: string;
}

export interface CreateListingRequest {
  symbol: string;
  title: string;
  description?: string;
  mode: ListingMode;
  quantity: DecimalString;
  startPrice: DecimalString;
  bidIncrement?: DecimalString;
  marginPct: DecimalString;
  registrationOpensAt: string;
  registrationClosesAt: string;
  biddingOpensAt: string;
  biddingClosesAt: string;
  antiSnipingSeconds?: number;
  /** The operator lists on a seller's behalf; a seller lists for itself and leaves it out. */
  sellerId?: string;
  priceCap?: DecimalString;
  capPct?: DecimalString;
  capWindowMinutes?: number;
  minBidders?: number;
  reservePrice?: DecimalString;
}

/** A board change on /market (stream `listing:SYMBOL`): the public view, bidders anonymous. */
export interface ListingMessage {
  symbol: string;
  change: string;
  listing: Listing;
}
