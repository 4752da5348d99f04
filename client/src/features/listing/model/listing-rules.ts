import { beijingInstant, toBeijingInput } from '../../../shared/format/beijing-time.ts';
import { Dec, dec, isDecimalString } from '../../../shared/format/decimal.ts';
import type { SaleWindowsDraft } from '../../../shared/rules/sale-draft.ts';
import type { Listing, ListingMode, ListingPhase } from '../api/types.ts';
import { listingWindowRefusal, type ListingMinimums } from '../../../../../contract/listing-windows.ts';

// The listing auction's rules as a bidder and a seller meet them in the browser: where a listing
// stands now (the windows move on between server messages), the lowest acceptable next bid, what
// a bid costs, and a seller's draft checked before it is sent. The server checks all of it again;
// its message is shown if it still refuses.

type Windows = Pick<Listing, 'status' | 'registrationOpensAt' | 'registrationClosesAt' | 'biddingOpensAt' | 'biddingClosesAt'>;

const ms = (iso: string) => new Date(iso).getTime();

/** The phase at `now` (ms): the result once there is one, else the window the clock is in. */
export function phaseAt(listing: Windows, now: number): ListingPhase {
  if (listing.status !== 'open') return listing.status;
  if (now >= ms(listing.biddingClosesAt)) return 'closing';
  if (now >= ms(listing.biddingOpensAt)) return 'bidding';
  if (now >= ms(listing.registrationOpensAt) && now < ms(listing.registrationClosesAt)) return 'registration';
  return now < ms(listing.registrationOpensAt) ? 'upcoming' : 'waiting';
}

export const registrationOpenAt = (listing: Windows, now: number): boolean =>
  listing.status === 'open' && now >= ms(listing.registrationOpensAt) && now < ms(listing.registrationClosesAt);

export const biddingOpenAt = (listing: Windows, now: number): boolean =>
  listing.status === 'open' && now >= ms(listing.biddingOpensAt) && now < ms(listing.biddingClosesAt);

export type CountdownKind = 'registrationOpens' | 'registrationCloses' | 'biddingOpens' | 'biddingCloses';

/** The next moment that changes what a bidder can do, or null once bidding is over. */
export function countdownTarget(listing: Windows, now: number): { kind: CountdownKind; at: string } | null {
  switch (phaseAt(listing, now)) {
    case 'upcoming':
      return { kind: 'registrationOpens', at: listing.registrationOpensAt };
    case 'registration':
      return ms(listing.registrationClosesAt) < ms(listing.biddingOpensAt)
        ? { kind: 'registrationCloses', at: listing.registrationClosesAt }
        : { kind: 'biddingOpens', at: listing.biddingOpensAt };
    case 'waiting':
      return { kind: 'biddingOpens', at: listing.biddingOpensAt };
    case 'bidding':
      return { kind: 'biddingCloses', at: listing.biddingClosesAt };
    default:
      return null;
  }
}

export interface Duration {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** Whole seconds left, split for display; never negative. */
export function splitDuration(msLeft: number): Duration {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  return { days: Math.floor(total / 86_400), hours: Math.floor((total % 86_400) / 3_600), minutes: Math.floor((total % 3_600) / 60), seconds: total % 60 };
}

/** "2天 03:04:05" / "2d 03:04:05", or "03:04:05" under a day. */
export function formatDuration(d: Duration, dayUnit: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(d.hours)}:${pad(d.minutes)}:${pad(d.seconds)}`;
  return d.days > 0 ? `${d.days}${dayUnit} ${clock}` : clock;
}

/** Anti-sniping: how far the close has moved from the scheduled one, in whole seconds. */
export function extensionSeconds(listing: Pick<Listing, 'biddingClosesAt' | 'scheduledCloseAt'>): number {
  return Math.max(0, Math.round((ms(listing.biddingClosesAt) - ms(listing.scheduledCloseAt)) / 1000));
}

/**
 * The lowest acceptable next bid: open mode, the start price first and then the best bid plus
 * the increment; sealed mode, the start price (bids are hidden from each other).
 */
export function minimumNextBid(listing: Pick<Listing, 'mode' | 'startPrice' | 'bidIncrement' | 'bestPrice'>): Dec {
  if (listing.mode === 'sealed' || listing.bestPrice === null) return dec(listing.startPrice);
  return dec(listing.bestPrice).plus(listing.bidIncrement ?? '0');
}

/** What a winning bid must pay: amount and buyer fee, each rounded half up to the fen (as the server settles). */
export function bidCost(price: string, quantity: string, buyerFeeBps: number | undefined): { amount: Dec; fee: Dec; total: Dec } {
  const amount = dec(price).times(quantity).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
  const fee = amount.times(buyerFeeBps ?? 0).dividedBy(10_000).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
  return { amount, fee, total: amount.plus(fee) };
}

/** 保证金: the margin percentage of start price × quantity, to the fen. */
export const marginFor = (startPrice: string, quantity: string, marginPct: string): Dec =>
  dec(startPrice).times(quantity).times(marginPct).dividedBy(100).toDecimalPlaces(2, Dec.ROUND_HALF_UP);

export type BidError =
  | { field: 'price'; key: 'priceRequired' | 'priceFormat' }
  | { field: 'price'; key: 'priceTick'; tick: string }
  | { field: 'price'; key: 'bidTooLow'; min: string }
  | { field: 'quantity'; key: 'quantityFormat' }
  | { field: 'quantity'; key: 'quantityLot'; lot: string }
  | { field: 'quantity'; key: 'quantityAboveRegistration'; max: string }
  | { field: 'funds'; key: 'insufficientCash'; need: string; have: string };

export interface BidContext {
  tickSize: string;
  lotSize: string;
  buyerFeeBps: number | undefined;
  /** Available cash now (null while unknown: not checked). */
  cashAvailable: string | null;
}

export interface BidAssessment {
  errors: BidError[];
  minimum: Dec;
  quantity: string;
  cost: ReturnType<typeof bidCost> | null;
  /** Cash locked beyond what the registration already holds for this listing. */
  extraLock: Dec | null;
}

/** Checks a bid before it is sent: on the tick, at least the minimum, and payable in full if it wins. */
export function assessBid(listing: Listing, draft: { price: string; quantity: string }, ctx: BidContext): BidAssessment {
  const errors: BidError[] = [];
  const minimum = minimumNextBid(listing);
  const registered = listing.me?.quantity ?? listing.quantity;
  let quantity = listing.mode === 'open' ? listing.quantity : draft.quantity.trim() || registered;
  if (listing.mode === 'sealed') {
    if (!isDecimalString(quantity) || dec(quantity).lessThanOrEqualTo(0)) {
      errors.push({ field: 'quantity', key: 'quantityFormat' });
      quantity = '';
    } else if (!dec(quantity).modulo(ctx.lotSize).isZero()) errors.push({ field: 'quantity', key: 'quantityLot', lot: ctx.lotSize });
    else if (dec(quantity).greaterThan(registered)) errors.push({ field: 'quantity', key: 'quantityAboveRegistration', max: registered });
  }

  const p = draft.price.trim();
  let cost: BidAssessment['cost'] = null;
  if (!p) errors.push({ field: 'price', key: 'priceRequired' });
  else if (!isDecimalString(p) || dec(p).lessThanOrEqualTo(0)) errors.push({ field: 'price', key: 'priceFormat' });
  else if (!dec(p).modulo(ctx.tickSize).isZero()) errors.push({ field: 'price', key: 'priceTick', tick: ctx.tickSize });
  else if (dec(p).lessThan(minimum)) errors.push({ field: 'price', key: 'bidTooLow', min: minimum.toFixed(dec(ctx.tickSize).decimalPlaces()) });
  else if (quantity) cost = bidCost(p, quantity, ctx.buyerFeeBps);

  let extraLock: Dec | null = null;
  if (cost) {
    // The registration already holds the margin, or the cost of one's own standing sealed bid.
    const own = listing.me?.bid ? bidCost(listing.me.bid.price, listing.me.bid.quantity, ctx.buyerFeeBps).total : dec(0);
    const held = Dec.max(dec(listing.me?.margin ?? '0'), own);
    extraLock = Dec.max(cost.total.minus(held), dec(0));
    if (ctx.cashAvailable !== null && extraLock.greaterThan(ctx.cashAvailable)) {
      errors.push({ field: 'funds', key: 'insufficientCash', need: extraLock.toFixed(2), have: dec(ctx.cashAvailable).toFixed(2) });
    }
  }
  return { errors, minimum, quantity, cost, extraLock };
}

// ---- a seller's draft ---------------------------------------------------------------------------

/** The anti-sniping minutes count in open mode only. */
export interface ListingDraft extends SaleWindowsDraft {
  symbol: string;
  title: string;
  mode: ListingMode;
  quantity: string;
  startPrice: string;
  bidIncrement: string;
}

export interface ListingDraftContext {
  tickSize: string;
  lotSize: string;
  guidancePrice: string;
  /** The seller's available quantity of the instrument (null while unknown: not checked). */
  available: string | null;
  /** The instrument's minimum windows (null while unknown: not checked). */
  minimums: ListingMinimums | null;
  now: number;
}

export type DraftField = keyof ListingDraft | 'windows';
export type DraftError = { field: DraftField; key: string; values?: Record<string, string> };

const isInteger = (v: string) => /^\d+$/.test(v.trim());

const MINUTE = 60_000;

/**
 * The instant a `datetime-local` start means. The input has no seconds, so a start in this minute
 * or the last one means "now" (the form may have been filled over a minute); earlier is the past.
 */
function effectiveStart(at: number, now: number): number {
  return at >= Math.floor(now / MINUTE) * MINUTE - MINUTE ? Math.max(at, now) : at;
}

/** Every problem of a seller's draft, by field; an empty list means it may be sent. */
export function assessListingDraft(draft: ListingDraft, ctx: ListingDraftContext): DraftError[] {
  const errors: DraftError[] = [];
  const add = (field: DraftField, key: string, values?: Record<string, string>) => errors.push(values ? { field, key, values } : { field, key });

  if (!draft.symbol) add('symbol', 'symbolRequired');
  if (draft.title.trim().length < 2) add('title', 'titleRequired');

  const q = draft.quantity.trim();
  if (!isDecimalString(q) || dec(q).lessThanOrEqualTo(0)) add('quantity', 'quantityFormat');
  else if (!dec(q).modulo(ctx.lotSize).isZero()) add('quantity', 'quantityLot', { lot: ctx.lotSize });
  else if (ctx.available !== null && dec(q).greaterThan(ctx.available)) add('quantity', 'quantityAboveHoldings', { have: ctx.available });

  const price = draft.startPrice.trim();
  if (!isDecimalString(price) || dec(price).lessThanOrEqualTo(0)) add('startPrice', 'priceFormat');
  else if (!dec(price).modulo(ctx.tickSize).isZero()) add('startPrice', 'priceTick', { tick: ctx.tickSize });
  else if (dec(price).lessThan(ctx.guidancePrice)) add('startPrice', 'belowGuidance', { guidance: ctx.guidancePrice });

  if (draft.mode === 'open') {
    const inc = draft.bidIncrement.trim();
    if (!isDecimalString(inc) || dec(inc).lessThanOrEqualTo(0)) add('bidIncrement', 'incrementFormat');
    else if (!dec(inc).modulo(ctx.tickSize).isZero()) add('bidIncrement', 'priceTick', { tick: ctx.tickSize });
    const minutes = draft.antiSnipingMinutes.trim();
    if (!isInteger(minutes) || Number(minutes) > 60) add('antiSnipingMinutes', 'antiSnipingRange');
  }

  const pct = draft.marginPct.trim();
  if (!isDecimalString(pct) || dec(pct).lessThanOrEqualTo(0) || dec(pct).greaterThan(100)) add('marginPct', 'marginRange');
  else if (!errors.some((e) => e.field === 'quantity' || e.field === 'startPrice') && marginFor(price, q, pct).lessThanOrEqualTo(0)) add('marginPct', 'marginNothing');

  const regOpen = beijingInstant(draft.registrationOpensAt);
  const regClose = beijingInstant(draft.registrationClosesAt);
  const bidOpen = beijingInstant(draft.biddingOpensAt);
  const bidClose = beijingInstant(draft.biddingClosesAt);
  const named: Array<[keyof ListingDraft, number]> = [
    ['registrationOpensAt', regOpen],
    ['registrationClosesAt', regClose],
    ['biddingOpensAt', bidOpen],
    ['biddingClosesAt', bidClose],
  ];
  const missing = named.filter(([, at]) => Number.isNaN(at));
  for (const [field] of missing) add(field, 'timeRequired');
  if (missing.length === 0) {
    // The same order the server insists on; registration may run on into bidding.
    if (!(regOpen < regClose)) add('windows', 'registrationOrder');
    else if (!(bidOpen < bidClose)) add('windows', 'biddingOrder');
    else if (bidOpen < regOpen) add('windows', 'biddingBeforeRegistration');
    else if (bidClose < regClose) add('windows', 'registrationAfterBidding');
    else if (!(regClose > ctx.now)) add('windows', 'registrationOver');
    else if (ctx.minimums) {
      // The server's own rule (contract/listing-windows.ts), so the seller learns it before sending.
      const w = { registrationOpensAt: new Date(effectiveStart(regOpen, ctx.now)), registrationClosesAt: new Date(regClose), biddingOpensAt: new Date(effectiveStart(bidOpen, ctx.now)), biddingClosesAt: new Date(bidClose) };
      const refusal = listingWindowRefusal(w, ctx.minimums, new Date(ctx.now));
      if (refusal?.code === 'LISTING_DATE_OUT_OF_RANGE') add(refusal.field, 'dateOutOfRange');
      if (refusal?.code === 'LISTING_STARTS_IN_PAST') add(refusal.field, 'startsInPast');
      if (refusal?.code === 'PUBLICITY_TOO_SHORT') {
        add(refusal.field, 'publicityTooShort', { days: String(refusal.workingDays), earliest: toBeijingInput(refusal.earliestOpen.getTime()).replace('T', ' ') });
      }
      if (refusal?.code === 'LISTING_WINDOW_TOO_SHORT') {
        add(refusal.field, refusal.field === 'registrationClosesAt' ? 'registrationTooShort' : 'biddingTooShort', {
          days: String(refusal.workingDays),
          earliest: toBeijingInput(refusal.earliestClose.getTime()).replace('T', ' '),
        });
      }
    }
  }
  return errors;
}

/** The request body for a valid draft; a start of "now" (this minute or the last) is sent as `now`. */
export function listingRequest(draft: ListingDraft, now = Date.now()) {
  const iso = (v: string) => new Date(beijingInstant(v)).toISOString();
  const start = (v: string) => new Date(effectiveStart(beijingInstant(v), now)).toISOString();
  return {
    symbol: draft.symbol,
    title: draft.title.trim(),
    mode: draft.mode,
    quantity: draft.quantity.trim(),
    startPrice: draft.startPrice.trim(),
    marginPct: draft.marginPct.trim(),
    registrationOpensAt: start(draft.registrationOpensAt),
    registrationClosesAt: iso(draft.registrationClosesAt),
    biddingOpensAt: start(draft.biddingOpensAt),
    biddingClosesAt: iso(draft.biddingClosesAt),
    ...(draft.mode === 'open' ? { bidIncrement: draft.bidIncrement.trim(), antiSnipingSeconds: Number(draft.antiSnipingMinutes.trim()) * 60 } : {}),
  };
}
