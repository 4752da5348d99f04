import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { expectRefusal } from '../support/market.ts';
import { connect, emitWithAck, inboxOf } from '../live/live-support.ts';
import { advanceTo, after, allowShortListings, anHourAhead, bid, bids, createListing, listing, ok, pinClock, register, type ListingReply, shortWindows } from './listing-support.ts';

// Issue 13 item 4: a sealed listing reveals nothing but "sealed, open for bids" until the close —
// not to bidders, not to the anonymous market socket, not to the operator or the regulator —
// and a regulator who must look breaks the glass, which the audit chain and the operator see.

let tp: TestPlatform;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  tp = await startTestPlatform('listing-sealed', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  url = await tp.running.listen();
  pinClock(tp, anHourAhead());
  await allowShortListings(tp, 'CARBON-2024');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await tp?.close();
});

interface AuditRow {
  action: string;
  subject: string;
  actor: string;
  payload: Record<string, unknown>;
}
const audit = async (query: string) => ok<AuditRow[]>(await tp.api('GET', `/api/regulator/audit?limit=5000&${query}`, tp.regulatorToken), 200, 'audit');
const breakGlassLog = async () =>
  ok<Array<{ listingId: string; regulator: string; reason: string; stillSealed: boolean }>>(await tp.api('GET', '/api/admin/break-glass', tp.operatorToken), 200, 'break-glass log');

/** A sealed carbon listing with two registered bidders and three bids, in its bidding window. */
async function sealedListingWithBids(start: Date) {
  const seller = await tp.participant('enterprise');
  const [a, b] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
  await tp.lot(seller.id, 'CARBON-2024', '2000');
  await Promise.all([tp.deposit(a.id, '100000.00'), tp.deposit(b.id, '100000.00')]);
  const created = await createListing(tp, seller.token, { symbol: 'CARBON-2024', title: '林业碳汇密封竞价', mode: 'sealed', quantity: '1000', startPrice: '62.00', marginPct: '10', ...shortWindows(start) });
  await advanceTo(tp, after(start, 30));
  await register(tp, a.token, created.id, '600');
  await register(tp, b.token, created.id, '400');
  await bid(tp, a.token, created.id, '66.00', '600');
  await bid(tp, a.token, created.id, '65.00', '600');
  await bid(tp, b.token, created.id, '64.00', '400');
  return { seller, a, b, created };
}

/** An open listing on the same instrument: its events on the same streams mark "everything before has arrived". */
async function openListing() {
  const now = tp.running.platform.clock.now();
  const seller = await tp.participant('enterprise');
  await tp.lot(seller.id, 'CARBON-2024', '100');
  const w = { registrationOpensAt: now.toISOString(), registrationClosesAt: after(now, 60).toISOString(), biddingOpensAt: now.toISOString(), biddingClosesAt: after(now, 60).toISOString() };
  return createListing(tp, seller.token, { symbol: 'CARBON-2024', title: '林业碳汇公开竞价', quantity: '100', startPrice: '62.00', bidIncrement: '0.50', marginPct: '10', ...w });
}

const HIDDEN = { sealed: true, bidders: null, bids: null, bestPrice: null, bestBidderNo: null, clearingPrice: null, awards: [] };

describe('a sealed listing before its close', () => {
  it('shows no counts, prices or bidders to bidders, the seller, the operator, the regulator and the anonymous market socket', async () => {
    const start = tp.running.platform.clock.now();
    const market = await connect(url, '/market');
    const regulatorSocket = await connect(url, '/regulator', tp.regulatorToken);
    sockets.push(market, regulatorSocket);
    expect(await emitWithAck(market, 'subscribe', { symbol: 'CARBON-2024' })).toMatchObject({ ok: true });
    const { seller, a, b, created } = await sealedListingWithBids(start);

    for (const token of [a.token, b.token, seller.token, tp.operatorToken, tp.regulatorToken]) {
      expect(await listing(tp, token, created.id)).toMatchObject({ ...HIDDEN, status: 'open', phase: 'bidding' });
      const board = ok<ListingReply[]>(await tp.api('GET', '/api/listings?status=active', token), 200, 'board');
      expect(board.find((l) => l.id === created.id)).toMatchObject(HIDDEN);
    }
    // The public announcements (no sign-in) carry its terms, nothing of its bids.
    const announced = ok<{ announcements: Array<Record<string, unknown>> }>(await tp.api('GET', '/api/public/listings', null), 200, 'public listings');
    const announcement = announced.announcements.find((x) => x.id === created.id)!;
    expect(announcement).toMatchObject({ mode: 'sealed', phase: 'bidding' });
    expect(Object.keys(announcement).filter((k) => /bid|bidder|best|count|registr/i.test(k) && !/Opens|Closes/.test(k))).toEqual([]);
    // A bidder still sees its own standing bid; nobody else's.
    expect((await listing(tp, a.token, created.id)).me).toMatchObject({ registered: true, bid: { price: '65.00', quantity: '600' } });
    expect((await bids(tp, a.token, created.id)).map((x) => x.price)).toEqual(['66.00', '65.00']);
    expect(await bids(tp, seller.token, created.id)).toEqual([]);
    // Staff: no bids, no registrations, so no prices, names or counts.
    for (const token of [tp.operatorToken, tp.regulatorToken]) {
      expect(await bids(tp, token, created.id)).toEqual([]);
      expect(ok(await tp.api('GET', `/api/listings/${created.id}/registrations`, token), 200, 'registrations')).toEqual([]);
    }

    // The sockets: an open listing's creation and bid arrive after anything the sealed one sent.
    const open = await openListing();
    const bidder = await tp.participant('enterprise');
    await tp.deposit(bidder.id, '100000.00');
    await register(tp, bidder.token, open.id);
    await bid(tp, bidder.token, open.id, '62.00');
    const marketInbox = inboxOf(market);
    await marketInbox.wait<{ listing: { id: string }; change: string }>('listing', 1, (m) => m.listing.id === open.id && m.change === 'bid');
    const aboutSealed = marketInbox.of<{ listing: ListingReply; change: string }>('listing').filter((m) => m.listing.id === created.id);
    expect(aboutSealed.map((m) => m.change)).toEqual(['created']);
    for (const m of aboutSealed) expect(m.listing).toMatchObject(HIDDEN);
    const regulatorInbox = inboxOf(regulatorSocket);
    await regulatorInbox.wait<{ bid: { listingId: string } }>('listingBid', 1, (m) => m.bid.listingId === open.id);
    expect(regulatorInbox.of<{ bid: { listingId: string } }>('listingBid').filter((m) => m.bid.listingId === created.id)).toEqual([]);

    // The audit views leave out its registrations, bids and margins, but the chain still holds them.
    expect((await audit(`subject=listing:${created.id}`)).map((r) => r.action)).toEqual(['listing.create']);
    const margins = await tp.running.platform.knex('listing_registrations').where({ listing_id: created.id }).pluck<string[]>('reservation_id');
    const everything = await audit('');
    expect(everything.filter((r) => margins.some((id) => r.subject === `reservation:${id}`))).toEqual([]);
    expect(everything.filter((r) => [a.username, b.username].includes(r.actor) && /^(listing|reservation)\./.test(r.action))).toEqual([]);
    for (const price of ['"66.00"', '"65.00"', '"64.00"']) expect(JSON.stringify(everything)).not.toContain(price);
    expect(ok(await tp.api('GET', '/api/regulator/audit/verify', tp.regulatorToken), 200, 'verify')).toMatchObject({ ok: true });

    // After the close everything is revealed as before.
    await advanceTo(tp, after(start, 121));
    const closed = await listing(tp, tp.regulatorToken, created.id);
    expect(closed).toMatchObject({ sealed: false, status: 'awarded', bidders: 2, bids: 3, clearingPrice: '64.00' });
    expect((await bids(tp, tp.regulatorToken, created.id)).map((x) => [x.price, x.bidder?.id])).toEqual([
      ['66.00', a.id],
      ['65.00', a.id],
      ['64.00', b.id],
    ]);
    expect((await audit(`subject=listing:${created.id}`)).map((r) => r.action).filter((x) => x === 'listing.bid')).toHaveLength(3);
  });

  it('bidder numbers are random 4–6 digit numbers, not the order of registration', async () => {
    const start = tp.running.platform.clock.now();
    const seller = await tp.participant('enterprise');
    await tp.lot(seller.id, 'CARBON-2024', '100');
    const created = await createListing(tp, seller.token, { symbol: 'CARBON-2024', title: '竞买号', mode: 'sealed', quantity: '100', startPrice: '62.00', marginPct: '10', ...shortWindows(start) });
    await advanceTo(tp, after(start, 1));
    const numbers: number[] = [];
    for (let i = 0; i < 6; i++) {
      const p = await tp.participant('enterprise');
      await tp.deposit(p.id, '10000.00');
      numbers.push((await register(tp, p.token, created.id)).bidderNo);
    }
    expect(new Set(numbers).size).toBe(6);
    for (const n of numbers) expect(n >= 1000 && n <= 999_999).toBe(true);
    // Six numbers in registration order would be 1…6; drawn from ~10⁶ they are not even ascending
    // except by a 1-in-720 chance, which is why the first check is the one that matters.
    expect(numbers).not.toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('break glass', () => {
  it('lets a regulator see sealed bids only with a reason, in the audit chain and in the operator’s list', async () => {
    const start = tp.running.platform.clock.now();
    const { a, b, created } = await sealedListingWithBids(start);
    const path = `/api/regulator/listings/${created.id}/break-glass`;
    const before = await breakGlassLog();

    // Refusals change nothing: no reason, a blank one, the wrong role, an unknown listing.
    expectRefusal(await tp.api('POST', path, tp.regulatorToken, {}), 400, 'VALIDATION_FAILED');
    expectRefusal(await tp.api('POST', path, tp.regulatorToken, { reason: '     ' }), 400, 'VALIDATION_FAILED');
    expectRefusal(await tp.api('POST', path, tp.operatorToken, { reason: '核查串通投标举报' }), 403, 'FORBIDDEN_ROLE');
    expectRefusal(await tp.api('POST', path, a.token, { reason: '核查串通投标举报' }), 403, 'FORBIDDEN_ROLE');
    expectRefusal(await tp.api('POST', '/api/regulator/listings/999999/break-glass', tp.regulatorToken, { reason: '核查串通投标举报' }), 404, 'LISTING_NOT_FOUND');
    expect(await breakGlassLog()).toEqual(before);
    expect((await audit('action=listing.breakGlass')).filter((r) => r.subject === `listing:${created.id}`)).toEqual([]);

    const res = await tp.api('POST', path, tp.regulatorToken, { reason: '核查串通投标举报（苏监〔2026〕7号）' });
    const seen = ok<{
      breakGlass: { id: string; regulator: string; reason: string };
      listing: ListingReply;
      bids: Array<{ price: string; bidder: { id: string } | null }>;
      registrations: Array<{ participant: { id: string } | null }>;
    }>(res, 201, 'break glass');
    expect(seen.breakGlass).toMatchObject({ regulator: 'regulator', reason: '核查串通投标举报（苏监〔2026〕7号）' });
    expect(seen.listing).toMatchObject({ bidders: 2, bids: 3 });
    expect(seen.bids.map((x) => [x.price, x.bidder?.id])).toEqual([
      ['66.00', a.id],
      ['65.00', a.id],
      ['64.00', b.id],
    ]);
    expect(seen.registrations.map((r) => r.participant?.id).sort()).toEqual([a.id, b.id].sort());

    // Audited in the chain, listed to the operator (not to the regulator), and still sealed to everyone else.
    const entries = (await audit('action=listing.breakGlass')).filter((r) => r.subject === `listing:${created.id}`);
    expect(entries).toMatchObject([{ actor: 'regulator', payload: { reason: '核查串通投标举报（苏监〔2026〕7号）', breakGlassId: seen.breakGlass.id } }]);
    expect((await breakGlassLog())[0]).toMatchObject({ listingId: created.id, regulator: 'regulator', reason: '核查串通投标举报（苏监〔2026〕7号）', stillSealed: true });
    expectRefusal(await tp.api('GET', '/api/admin/break-glass', tp.regulatorToken), 403, 'FORBIDDEN_ROLE');
    expect(await bids(tp, tp.regulatorToken, created.id)).toEqual([]);
    expect(await listing(tp, tp.operatorToken, created.id)).toMatchObject(HIDDEN);

    // Nothing to break on an open listing or once a sealed one has closed.
    const open = await openListing();
    expectRefusal(await tp.api('POST', `/api/regulator/listings/${open.id}/break-glass`, tp.regulatorToken, { reason: '核查串通投标举报' }), 409, 'LISTING_NOT_SEALED');
    await advanceTo(tp, after(start, 121));
    expectRefusal(await tp.api('POST', path, tp.regulatorToken, { reason: '核查串通投标举报' }), 409, 'LISTING_NOT_SEALED');
    expect((await breakGlassLog()).find((r) => r.listingId === created.id)).toMatchObject({ stillSealed: false });
  });
});
