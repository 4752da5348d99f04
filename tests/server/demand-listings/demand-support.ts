import type { TestPlatform } from '../support/test-platform.ts';
import { stateSnapshot } from '../support/market.ts';
import { after, ok } from '../listings/listing-support.ts';
import type { DemandBidResult, DemandListing, DemandRegistration } from '../../../contract/demand-listings.ts';

/** Helpers for demand-listing tests: calls that must succeed, and the state a refusal must leave alone. */

export const demandWindows = (start: Date, o: { reg?: [number, number]; bid?: [number, number] } = {}) => ({
  registrationOpensAt: after(start, o.reg?.[0] ?? 1).toISOString(),
  registrationClosesAt: after(start, o.reg?.[1] ?? 60).toISOString(),
  biddingOpensAt: after(start, o.bid?.[0] ?? 30).toISOString(),
  biddingClosesAt: after(start, o.bid?.[1] ?? 120).toISOString(),
});

export async function postDemand(tp: TestPlatform, token: string, body: Record<string, unknown>): Promise<DemandListing> {
  return ok<DemandListing>(await tp.api('POST', '/api/demand-listings', token, body), 201, 'post demand listing');
}

export async function registerSeller(tp: TestPlatform, token: string, id: string): Promise<DemandRegistration> {
  return ok<DemandRegistration>(await tp.api('POST', `/api/demand-listings/${id}/registrations`, token), 201, 'register seller');
}

export async function bidDown(tp: TestPlatform, token: string, id: string, price: string): Promise<DemandBidResult> {
  return ok<DemandBidResult>(await tp.api('POST', `/api/demand-listings/${id}/bids`, token, { price }), 201, `bid ${price}`);
}

export async function demand(tp: TestPlatform, token: string, id: string): Promise<DemandListing> {
  return ok<DemandListing>(await tp.api('GET', `/api/demand-listings/${id}`, token), 200, 'get demand listing');
}

/**
 * Everything a refused demand-listing request must leave untouched: balances (through the API and
 * in PostgreSQL), books, ledger counts, every reservation and every demand-listing row.
 */
export async function demandState(tp: TestPlatform, tokens: string[], symbols: string[]) {
  const knex = tp.running.platform.knex;
  const rows = async (table: string) => knex(table).orderBy('id').select('*');
  const [base, reservations, listings, registrations, bids, awards] = await Promise.all([
    stateSnapshot(tp, tokens, symbols),
    knex('reservations').orderBy('id').select('id', 'participant_id', 'asset', 'amount', 'status'),
    rows('demand_listings'),
    rows('demand_registrations'),
    rows('demand_bids'),
    rows('demand_awards'),
  ]);
  return { base, reservations, listings, registrations, bids, awards };
}

type DemandState = Awaited<ReturnType<typeof demandState>>;

/** The state without the books' stream sequence, which counts messages of one process and restarts at 0. */
export const acrossRestart = (s: DemandState) => ({ ...s, base: { ...s.base, books: s.base.books.map(({ bids, asks, symbol }) => ({ symbol, bids, asks })) } });
