import { badRequest, conflict, unprocessable } from '../errors.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { dec, type Dec } from '../shared/decimal.ts';
import type { ListingMode, ListingWindows } from './listing-rules.ts';
import type { ListingRow } from './listing-store.ts';

// A listing's cap (最高限价), reserve (保留价) and least number of bidders: checked when it is
// created, and the cap's hold on bidding. The cap is stored as a price; a cap given as a
// percentage keeps it for the announcement and is rounded down to the tick (never above what the
// seller allowed).

export interface ListingTermsInput {
  priceCap: string | null;
  capPct: string | null;
  capWindowMinutes: number | null;
  minBidders: number | null;
  reservePrice: string | null;
}

/** The terms a create request names; null where it names none. */
export const termsOf = (b: { priceCap?: string; capPct?: string; capWindowMinutes?: number; minBidders?: number; reservePrice?: string }): ListingTermsInput => ({
  priceCap: b.priceCap ?? null,
  capPct: b.capPct ?? null,
  capWindowMinutes: b.capWindowMinutes ?? null,
  minBidders: b.minBidders ?? null,
  reservePrice: b.reservePrice ?? null,
});

export interface CreateListingInput {
  symbol: string;
  sellerId: string;
  title: string;
  description: string | null;
  mode: ListingMode;
  quantity: string;
  startPrice: string;
  bidIncrement: string | null;
  marginPct: string;
  windows: ListingWindows;
  antiSnipingSeconds: number | null;
  terms: ListingTermsInput;
  /** The failed listing this one offers again (流拍后重新挂牌). */
  relistOf?: string;
}

export interface ListingTermsColumns {
  price_cap: string | null;
  cap_pct: string | null;
  cap_window_minutes: number | null;
  min_bidders: number;
  reserve_price: string | null;
}

const onTick = (spec: InstrumentSpec, price: Dec) => price.div(spec.tick).isInteger();

/** The columns the terms add to a new listing; throws the refusal of terms that cannot be used. */
export function listingTerms(spec: InstrumentSpec, mode: ListingMode, startPrice: string, t: ListingTermsInput): ListingTermsColumns {
  let cap: Dec | null = null;
  if (t.priceCap !== null && t.capPct !== null) throw badRequest('CAP_TWICE', 'give the cap as a price or as a percentage of the start price, not both');
  if (t.priceCap !== null || t.capPct !== null) {
    if (mode !== 'open') throw badRequest('CAP_NOT_ALLOWED', 'only an open listing can carry a price cap');
    if (t.capWindowMinutes === null) throw badRequest('CAP_WINDOW_REQUIRED', 'a capped listing needs a cap-acceptance window in minutes');
    if (t.capPct !== null) {
      cap = dec(startPrice).mul(t.capPct).div(100).div(spec.tick).floor().mul(spec.tick);
    } else {
      cap = dec(t.priceCap!);
      if (!onTick(spec, cap)) throw unprocessable('PRICE_NOT_ON_TICK', `priceCap ${t.priceCap} is not a positive multiple of the tick size ${spec.row.tick_size}`);
    }
    if (cap.lte(startPrice)) throw unprocessable('CAP_NOT_ABOVE_START', `the cap ${cap.toFixed(spec.pricePlaces)} is not above the start price ${startPrice}`, { cap: cap.toFixed(spec.pricePlaces), startPrice });
  } else if (t.capWindowMinutes !== null) throw badRequest('CAP_WINDOW_WITHOUT_CAP', 'a cap-acceptance window needs a cap');
  if (t.reservePrice !== null) {
    const reserve = dec(t.reservePrice);
    if (!onTick(spec, reserve)) throw unprocessable('PRICE_NOT_ON_TICK', `reservePrice ${t.reservePrice} is not a positive multiple of the tick size ${spec.row.tick_size}`);
    if (reserve.lt(startPrice) || (cap !== null && reserve.gt(cap))) {
      throw unprocessable('RESERVE_OUT_OF_RANGE', 'the reserve price lies between the start price and the cap', { startPrice, cap: cap?.toFixed(spec.pricePlaces) ?? '' });
    }
  }
  return {
    price_cap: cap?.toFixed(spec.pricePlaces) ?? null,
    cap_pct: t.capPct,
    cap_window_minutes: cap === null ? null : t.capWindowMinutes,
    min_bidders: t.minBidders ?? 1,
    reserve_price: t.reservePrice,
  };
}

/** The cap's hold on an open bid: a capped listing bids only once its seed is committed, never above the cap, and not at all once it is reached. */
export function refuseCapBid(row: ListingRow, price: string): void {
  if (row.price_cap === null) return;
  if (row.seed_commitment === null) throw conflict('CAP_COMMITMENT_MISSING', 'bidding on a capped listing opens once the operator has published the lottery commitment');
  if (row.cap_reached_at !== null) throw conflict('CAP_REACHED', 'the cap has been reached: accept the cap to enter the lottery');
  if (dec(price).gt(row.price_cap)) throw unprocessable('BID_ABOVE_CAP', `the price cap is ${row.price_cap}`, { cap: row.price_cap });
}

/** The lowest acceptable open bid under a cap: the best bid plus the increment, but never more than the cap itself. */
export const cappedMinimum = (minimum: Dec, cap: string | null): Dec => (cap !== null && minimum.gt(cap) ? dec(cap) : minimum);

/** A bid at the cap stops ordinary bidding and opens the acceptance window. */
export const reachesCap = (row: Pick<ListingRow, 'price_cap'>, price: string) => row.price_cap !== null && dec(price).eq(row.price_cap);

export const capAcceptanceCloses = (reachedAt: Date, minutes: number) => new Date(reachedAt.getTime() + minutes * 60_000);
