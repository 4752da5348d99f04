import { toFen, type Dec } from '../shared/decimal.ts';

export type ListingMode = 'open' | 'sealed';
export type ListingStatus = 'open' | 'closing' | 'awarded' | 'failed' | 'cancelled';
export type ListingPhase = 'upcoming' | 'registration' | 'waiting' | 'bidding' | 'closing' | 'awarded' | 'failed' | 'cancelled';

export interface ListingWindows {
  registrationOpensAt: Date;
  registrationClosesAt: Date;
  biddingOpensAt: Date;
  biddingClosesAt: Date;
}

/** Where a listing stands at `now`: its result once it has one, else the window it is in. */
export function listingPhase(status: ListingStatus, w: ListingWindows, now: Date): ListingPhase {
  if (status !== 'open') return status;
  if (now >= w.biddingClosesAt) return 'closing';
  if (now >= w.biddingOpensAt) return 'bidding';
  if (now >= w.registrationOpensAt && now < w.registrationClosesAt) return 'registration';
  return now < w.registrationOpensAt ? 'upcoming' : 'waiting';
}

export const registrationOpen = (status: ListingStatus, w: ListingWindows, now: Date) =>
  status === 'open' && now >= w.registrationOpensAt && now < w.registrationClosesAt;

export const biddingOpen = (status: ListingStatus, w: ListingWindows, now: Date) =>
  status === 'open' && now >= w.biddingOpensAt && now < w.biddingClosesAt;

/**
 * A sealed listing reveals nothing but "sealed, open for bids" until its result is known: no
 * counts, prices or bidders, to anyone — staff included (a regulator may break the glass).
 */
export const sealedNow = (mode: ListingMode, status: ListingStatus) => mode === 'sealed' && (status === 'open' || status === 'closing');

/** 竞买号: 4 to 6 digits drawn at random, so a number tells nothing of when its bidder registered. */
export const BIDDER_NO_MIN = 1000;
export const BIDDER_NO_MAX = 999_999;

/** A bidder number not yet `taken`, from `random(min, max)` (inclusive of min, exclusive of max + 1). */
export function drawBidderNo(taken: ReadonlySet<number>, random: (min: number, maxExclusive: number) => number): number {
  if (taken.size >= BIDDER_NO_MAX - BIDDER_NO_MIN + 1) throw new Error('every bidder number of the listing is taken');
  for (;;) {
    const no = random(BIDDER_NO_MIN, BIDDER_NO_MAX + 1);
    if (!taken.has(no)) return no;
  }
}

/** Why a set of windows cannot be used, or null. Registration may run on into bidding. */
export function windowProblem(w: ListingWindows, now: Date): string | null {
  if (!(w.registrationOpensAt < w.registrationClosesAt)) return 'registration must open before it closes';
  if (!(w.biddingOpensAt < w.biddingClosesAt)) return 'bidding must open before it closes';
  if (w.biddingOpensAt < w.registrationOpensAt) return 'bidding cannot open before registration does';
  if (w.biddingClosesAt < w.registrationClosesAt) return 'registration cannot close after bidding does';
  if (!(w.registrationClosesAt > now)) return 'the registration window is already over';
  return null;
}

/** 保证金: the margin percentage of start price × quantity, to the fen. */
export const marginFor = (startPrice: Dec, quantity: Dec, marginPct: Dec): Dec => toFen(startPrice.mul(quantity).mul(marginPct).div(100));

/** The lowest acceptable open bid: the start price first, then the best bid plus the increment. */
export const minimumOpenBid = (startPrice: Dec, increment: Dec, best: Dec | null): Dec => (best === null ? startPrice : best.add(increment));

/**
 * Anti-sniping: a bid that arrives within `windowMs` of the close moves the close to `windowMs`
 * after the bid, so others can answer it. Returns the close that then applies.
 */
export function extendedClose(closesAt: Date, bidAt: Date, windowMs: number): Date {
  if (windowMs <= 0) return closesAt;
  const answerBy = bidAt.getTime() + windowMs;
  return closesAt.getTime() - bidAt.getTime() < windowMs && answerBy > closesAt.getTime() ? new Date(answerBy) : closesAt;
}

export interface SealedBid {
  registrationId: string;
  bidId: string;
  /** Price in ticks and quantity in lots: integers, compared exactly. */
  priceTicks: number;
  qtyLots: number;
  /** Arrival order (the bid id); earlier wins a tie at the same price. */
  sequence: number;
}

export interface SealedAward {
  registrationId: string;
  bidId: string;
  qtyLots: number;
}

export interface SealedClearing {
  /** The lowest winning bid: every winner pays it (uniform price). Null when nobody bid. */
  priceTicks: number | null;
  awards: SealedAward[];
  soldLots: number;
}

/**
 * Sealed-bid uniform-price clearing (EEX/CIX style): bids are filled from the highest price
 * down, earlier bids first at the same price, until the quantity is gone; the last bid filled
 * may be filled in part. All winners pay the lowest winning bid's price.
 */
export function clearSealedBids(bids: SealedBid[], supplyLots: number): SealedClearing {
  const ranked = [...bids].sort((a, b) => b.priceTicks - a.priceTicks || a.sequence - b.sequence);
  const awards: SealedAward[] = [];
  let left = supplyLots;
  let priceTicks: number | null = null;
  for (const bid of ranked) {
    if (left === 0) break;
    const lots = Math.min(bid.qtyLots, left);
    awards.push({ registrationId: bid.registrationId, bidId: bid.bidId, qtyLots: lots });
    priceTicks = bid.priceTicks;
    left -= lots;
  }
  return { priceTicks, awards, soldLots: supplyLots - left };
}
