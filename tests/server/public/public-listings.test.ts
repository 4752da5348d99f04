import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicListings } from '../../../contract/public-listings.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { advanceTo, after, allowShortListings, bid, createListing, listing, pinClock, register } from '../listings/listing-support.ts';

// Issue 19, public site: announcements of the sales still open and the results of those that
// ended, for anyone. A sealed sale shows its terms and nothing of its bids; a result names its
// winners and price, a failed sale (流拍) says so without either.

let tp: TestPlatform;
let start: Date;
const ids = { awarded: '', failed: '', sealed: '' };

const windows = (from: Date, closeMinutes: number) => ({
  registrationOpensAt: after(from, 1).toISOString(),
  registrationClosesAt: after(from, closeMinutes - 10).toISOString(),
  biddingOpensAt: after(from, 5).toISOString(),
  biddingClosesAt: after(from, closeMinutes).toISOString(),
});

beforeAll(async () => {
  tp = await startTestPlatform('public-listings', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  start = pinClock(tp, new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3_600_000));
  await allowShortListings(tp, 'CARBON-2024');
  const seller = await tp.participant('enterprise', '遂川县绿林碳汇有限公司', '吉安市遂川县');
  const [winner, other] = await Promise.all([tp.participant('enterprise', '南昌电力股份有限公司'), tp.participant('enterprise', '九江石化有限公司')]);
  await tp.lot(seller.id, 'CARBON-2024', '3000');
  await Promise.all([tp.deposit(winner.id, '1000000.00'), tp.deposit(other.id, '1000000.00')]);

  ids.awarded = (await createListing(tp, seller.token, { symbol: 'CARBON-2024', title: '碳汇公开竞价（成交）', quantity: '1000', startPrice: '62.00', bidIncrement: '0.50', marginPct: '10', ...windows(start, 30) })).id;
  ids.failed = (await createListing(tp, seller.token, { symbol: 'CARBON-2024', title: '碳汇公开竞价（流拍）', quantity: '500', startPrice: '62.00', bidIncrement: '0.50', marginPct: '10', ...windows(start, 30) })).id;
  ids.sealed = (await createListing(tp, seller.token, { symbol: 'CARBON-2024', title: '碳汇密封竞价', mode: 'sealed', quantity: '1000', startPrice: '62.00', marginPct: '10', ...windows(start, 240) })).id;
  await advanceTo(tp, after(start, 6));
  for (const p of [winner, other]) await register(tp, p.token, ids.awarded);
  await bid(tp, other.token, ids.awarded, '62.00');
  await bid(tp, winner.token, ids.awarded, '62.50');
  await register(tp, other.token, ids.sealed, '500');
  await bid(tp, other.token, ids.sealed, '63.00', '500');
  await advanceTo(tp, after(start, 31));
  expect((await listing(tp, seller.token, ids.awarded)).status).toBe('awarded');
  expect((await listing(tp, seller.token, ids.failed)).status).toBe('failed');
});
afterAll(async () => {
  await tp?.close();
});

const anonymous = () => tp.running.app.inject({ method: 'GET', url: '/api/public/listings', remoteAddress: '198.51.100.7' });

describe('public announcements and results', () => {
  it('announce the open sale with its terms and windows, and nothing of its bids', async () => {
    const res = await anonymous();
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=30');
    const { announcements } = res.json<PublicListings>();
    expect(announcements.map((a) => a.id)).toEqual([ids.sealed]);
    expect(announcements[0]).toEqual({
      id: ids.sealed,
      title: '碳汇密封竞价',
      symbol: 'CARBON-2024',
      nameZh: expect.any(String),
      name: expect.any(String),
      unit: expect.any(String),
      seller: '遂川县绿林碳汇有限公司',
      mode: 'sealed',
      phase: 'bidding',
      quantity: '1000',
      startPrice: '62.00',
      marginPct: '10',
      ...windows(start, 240),
      rules: { priceCap: null, capPct: null, capWindowMinutes: null, capStage: 'none', capAcceptanceClosesAt: null, seedCommitment: null, lottery: null, minBidders: 1, hasReserve: false, objections: [], objectionPending: false },
    });
    expect(res.body).not.toContain('九江石化有限公司');
    expect(res.body).not.toContain('63.00');
  });

  it('publish each result: the winner and price of a sale, none for a failed one, newest first', async () => {
    const { results } = (await anonymous()).json<PublicListings>();
    const byId = new Map(results.map((r) => [r.id, r]));
    expect(byId.get(ids.awarded)).toMatchObject({ outcome: 'awarded', quantity: '1000', soldQuantity: '1000', price: '62.50', winners: ['南昌电力股份有限公司'], seller: '遂川县绿林碳汇有限公司' });
    expect(byId.get(ids.failed)).toMatchObject({ outcome: 'failed', quantity: '500', soldQuantity: '0', price: null, winners: [] });
    expect(byId.has(ids.sealed)).toBe(false);
    const closed = results.map((r) => r.closedAt);
    expect(closed).toEqual([...closed].sort().reverse());
  });
});
