import type { LightMyRequestResponse } from 'fastify';
import type { TestPlatform } from '../support/test-platform.ts';

/** Helpers for listing-auction tests: market time, listing calls that must succeed, views. */

export const MINUTE = 60_000;

export interface ListingReply {
  id: string;
  status: string;
  phase: string;
  mode: string;
  quantity: string;
  startPrice: string;
  bestPrice: string | null;
  bestBidderNo: number | null;
  minimumBid: string | null;
  biddingClosesAt: string;
  extensions: number;
  sealed: boolean;
  bidders: number | null;
  bids: number | null;
  clearingPrice: string | null;
  soldQuantity: string | null;
  resultReason: string | null;
  awards: Array<{ bidderNo: number; price: string; quantity: string; tradeId: string | null; status: string }>;
  me: null | { registered: boolean; bidderNo: number | null; leading: boolean; margin: string | null; bid: { price: string; quantity: string } | null };
}

export interface BidReply {
  id: string;
  bidderNo: number;
  price: string;
  quantity: string;
  mine: boolean;
  bidder: { id: string; name: string } | null;
}

/** Pins the market clock (a fresh platform runs on the system clock) and returns it. */
export function pinClock(tp: TestPlatform, at: Date): Date {
  tp.running.platform.clock.pin(at);
  return at;
}

/** Moves market time to `at`, running every listing close, deadline and session change on the way. */
export async function advanceTo(tp: TestPlatform, at: Date): Promise<void> {
  await tp.running.platform.scheduler.advanceTo(at);
}

export const after = (t0: Date, minutes: number) => new Date(t0.getTime() + minutes * MINUTE);

/** The next whole minute an hour from now: where these tests pin the market clock before listing. */
export const anHourAhead = (): Date => new Date(Math.ceil(Date.now() / MINUTE) * MINUTE + 60 * MINUTE);

/** Registration from 1 to 60 minutes after `start`, bidding from 30 to 120: short windows the tests allow. */
export const shortWindows = (start: Date) => ({
  registrationOpensAt: after(start, 1).toISOString(),
  registrationClosesAt: after(start, 60).toISOString(),
  biddingOpensAt: after(start, 30).toISOString(),
  biddingClosesAt: after(start, 120).toISOString(),
});

export function ok<T>(res: LightMyRequestResponse, status: number, what: string): T {
  if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.json<T>();
}

export async function createListing(tp: TestPlatform, token: string, body: Record<string, unknown>): Promise<ListingReply> {
  return ok<ListingReply>(await tp.api('POST', '/api/listings', token, body), 201, 'create listing');
}

export async function register(tp: TestPlatform, token: string, listingId: string, quantity?: string): Promise<{ bidderNo: number; margin: string }> {
  return ok(await tp.api('POST', `/api/listings/${listingId}/registrations`, token, quantity ? { quantity } : {}), 201, 'register');
}

export async function bid(tp: TestPlatform, token: string, listingId: string, price: string, quantity?: string): Promise<{ bid: BidReply; listing: ListingReply }> {
  return ok(await tp.api('POST', `/api/listings/${listingId}/bids`, token, quantity ? { price, quantity } : { price }), 201, `bid ${price}`);
}

export async function listing(tp: TestPlatform, token: string, id: string): Promise<ListingReply> {
  return ok<ListingReply>(await tp.api('GET', `/api/listings/${id}`, token), 200, 'get listing');
}

export async function bids(tp: TestPlatform, token: string, id: string): Promise<BidReply[]> {
  return ok<BidReply[]>(await tp.api('GET', `/api/listings/${id}/bids`, token), 200, 'get bids');
}

/** Audit actions recorded for a subject, oldest first. */
export async function auditActions(tp: TestPlatform, subject: string): Promise<string[]> {
  const rows = await tp.running.platform.knex('audit_log').where({ subject }).orderBy('seq').pluck<string[]>('action');
  return rows;
}

/** PUT through the in-process app (the shared test helper speaks GET, POST, PATCH and DELETE). */
export function put(tp: TestPlatform, url: string, token: string, payload: unknown): Promise<LightMyRequestResponse> {
  return tp.running.app.inject({ method: 'PUT', url, payload: payload as never, headers: { authorization: `Bearer ${token}` } });
}

/**
 * Lets a test run listings of minutes: the instruments' minimum windows are set to 0 working
 * days through the operator's endpoint, as an operator would. Starts in the past, windows that
 * end before they begin and absurd dates are still refused.
 */
export async function allowShortListings(tp: TestPlatform, ...symbols: string[]): Promise<void> {
  for (const symbol of symbols) {
    ok(await put(tp, `/api/admin/instruments/${symbol}/listing-minimums`, tp.operatorToken, { registrationWorkingDays: 0, biddingWorkingDays: 0 }), 200, `lower ${symbol} minimums`);
  }
}
