import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { cash, expectLedgerReconciles, expectRefusal, holding, waitSettled } from '../support/market.ts';
import type { ListingBidView } from '../../../server/listings/listing-views.ts';
import type { ListingBidAudience, ListingChange } from '../../../server/market/market-bus.ts';
import { advanceTo, after, allowShortListings, auditActions, bid, bids, createListing, listing, pinClock, register } from './listing-support.ts';

// Listing auctions (issue 8): margins locked on registration, ascending bids with anti-sniping,
// the winner paid from margin + locked rest through DVP settlement, losers released at once;
// failed listings return the quantity; sealed-bid multi-unit lots clear at one uniform price.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('listings', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  // Fees on the listed instrument, so the winner's cost and the seller's proceeds differ.
  await tp.running.platform.knex('instruments').where({ symbol: 'LAND-LINKAGE' }).update({ buyer_fee_bps: 25, seller_fee_bps: 10 });
  await tp.restart();
  pinClock(tp, new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3_600_000));
  await allowShortListings(tp, 'LAND-LINKAGE', 'FARMLAND-QTY', 'CARBON-2024', 'WETLAND');
});
afterAll(async () => {
  await tp?.close();
});

const windows = (start: Date, o: { reg?: [number, number]; bid?: [number, number] } = {}) => ({
  registrationOpensAt: after(start, o.reg?.[0] ?? 1).toISOString(),
  registrationClosesAt: after(start, o.reg?.[1] ?? 60).toISOString(),
  biddingOpensAt: after(start, o.bid?.[0] ?? 30).toISOString(),
  biddingClosesAt: after(start, o.bid?.[1] ?? 120).toISOString(),
});

describe('an open listing', () => {
  it('with three bidders and an extension: the winner settles, the losers get every fen back at the close', async () => {
    const start = tp.running.platform.clock.now();
    const seller = await tp.participant('government', '婺源县自然资源局', '上饶市婺源县');
    const [a, b, c, outsider] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise'), tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'LAND-LINKAGE', '10.00');
    await Promise.all([tp.deposit(a.id, '1000000.00'), tp.deposit(b.id, '1000000.00'), tp.deposit(c.id, '800000.00'), tp.deposit(outsider.id, '1000000.00')]);
    const events: Array<[ListingChange, string]> = [];
    const bidEvents: Array<[ListingBidView, ListingBidAudience]> = [];
    tp.running.platform.bus.on('listing', (change, view) => events.push([change, view.id]));
    tp.running.platform.bus.on('listingBid', (view, audience) => bidEvents.push([view, audience]));

    // Below the guidance price (指导价 = reference 280,000.00) is refused.
    const body = {
      symbol: 'LAND-LINKAGE',
      title: '婺源县2025年度城乡建设用地增减挂钩节余指标挂牌竞价',
      quantity: '2.50',
      bidIncrement: '500.00',
      marginPct: '10',
      antiSnipingSeconds: 300,
      ...windows(start),
    };
    expectRefusal(await tp.api('POST', '/api/listings', seller.token, { ...body, startPrice: '279999.99' }), 422, 'BELOW_GUIDANCE_PRICE');
    const created = await createListing(tp, seller.token, { ...body, startPrice: '280000.00' });
    expect(created).toMatchObject({ status: 'open', phase: 'upcoming', mode: 'open', quantity: '2.50', startPrice: '280000.00', minimumBid: '280000.00' });
    expect(await holding(tp, seller.token, 'LAND-LINKAGE')).toEqual(['7.50', '2.50']);

    expectRefusal(await tp.api('POST', `/api/listings/${created.id}/registrations`, a.token, {}), 409, 'REGISTRATION_CLOSED');
    await advanceTo(tp, after(start, 1));
    // Margin 10% × 280,000.00 × 2.50 = 70,000.00, locked from available cash. Bidder numbers
    // (竞买号) are drawn at random, 4 to 6 digits, distinct within the listing.
    const [regA, regB, regC] = [await register(tp, a.token, created.id), await register(tp, b.token, created.id), await register(tp, c.token, created.id)];
    for (const r of [regA, regB, regC]) expect(r).toMatchObject({ bidderNo: expect.any(Number), margin: '70000.00' });
    const [n1, n2, n3] = [regA.bidderNo, regB.bidderNo, regC.bidderNo];
    expect(new Set([n1, n2, n3]).size).toBe(3);
    for (const n of [n1, n2, n3]) expect(String(n)).toMatch(/^[1-9][0-9]{3,5}$/);
    expectRefusal(await tp.api('POST', `/api/listings/${created.id}/registrations`, a.token, {}), 409, 'ALREADY_REGISTERED');
    expectRefusal(await tp.api('POST', `/api/listings/${created.id}/registrations`, seller.token, {}), 422, 'SELLER_CANNOT_BID');
    expect(await cash(tp, a.token)).toEqual(['930000.00', '70000.00']);
    expect(await cash(tp, c.token)).toEqual(['730000.00', '70000.00']);

    expectRefusal(await tp.api('POST', `/api/listings/${created.id}/bids`, a.token, { price: '280000.00' }), 409, 'BIDDING_CLOSED');
    await advanceTo(tp, after(start, 30));
    // Before anyone bids the floor is the start price, and the refusal says that is why.
    const belowStart = await tp.api('POST', `/api/listings/${created.id}/bids`, b.token, { price: '279000.00' });
    expectRefusal(belowStart, 422, 'BID_TOO_LOW');
    expect(belowStart.json<{ params: unknown }>().params).toEqual({ lowest: '280000.00', basis: 'first' });
    // A leads at the start price: 700,000.00 + 0.25% fee 1,750.00 is locked while it leads.
    await bid(tp, a.token, created.id, '280000.00');
    expect(await cash(tp, a.token)).toEqual(['298250.00', '701750.00']);
    expectRefusal(await tp.api('POST', `/api/listings/${created.id}/bids`, a.token, { price: '281000.00' }), 409, 'ALREADY_LEADING');
    const belowIncrement = await tp.api('POST', `/api/listings/${created.id}/bids`, b.token, { price: '280499.99' });
    expectRefusal(belowIncrement, 422, 'BID_TOO_LOW');
    expect(belowIncrement.json<{ params: unknown }>().params).toEqual({ lowest: '280500.00', basis: 'best', best: '280000.00' });
    expectRefusal(await tp.api('POST', `/api/listings/${created.id}/bids`, outsider.token, { price: '290000.00' }), 403, 'NOT_REGISTERED');
    // B outbids: 280,500 × 2.5 = 701,250.00 + fee 1,753.125 → 1,753.13. A is back to its margin at once.
    await bid(tp, b.token, created.id, '280500.00');
    expect(await cash(tp, b.token)).toEqual(['296996.87', '703003.13']);
    expect(await cash(tp, a.token)).toEqual(['930000.00', '70000.00']);
    // C cannot pay 290,000.00 × 2.5 + fee with 800,000.00: the bid is refused, C keeps its margin only.
    expectRefusal(await tp.api('POST', `/api/listings/${created.id}/bids`, c.token, { price: '320000.00' }), 422, 'INSUFFICIENT_FUNDS');
    expect(await cash(tp, c.token)).toEqual(['730000.00', '70000.00']);
    await bid(tp, c.token, created.id, '281000.00');
    await bid(tp, a.token, created.id, '281500.00');
    expect(await cash(tp, c.token)).toEqual(['730000.00', '70000.00']);

    // A bid two minutes before the close extends it to five minutes after the bid.
    await advanceTo(tp, after(start, 118));
    const late = await bid(tp, b.token, created.id, '282000.00');
    expect(late.listing).toMatchObject({ extensions: 1, biddingClosesAt: after(start, 123).toISOString(), bestPrice: '282000.00', bestBidderNo: n2, minimumBid: '282500.00' });
    expect(late.listing.me).toMatchObject({ registered: true, bidderNo: n2, leading: true });

    // Bidders see each other by number only; the regulator sees names.
    const seen = await bids(tp, c.token, created.id);
    expect(seen.map((x) => [x.bidderNo, x.price, x.mine, x.bidder])).toEqual([
      [n1, '280000.00', false, null],
      [n2, '280500.00', false, null],
      [n3, '281000.00', true, null],
      [n1, '281500.00', false, null],
      [n2, '282000.00', false, null],
    ]);
    const named = await bids(tp, tp.regulatorToken, created.id);
    expect(named.map((x) => x.bidder?.id)).toEqual([a.id, b.id, c.id, a.id, b.id]);
    expect(bidEvents.map(([v, aud]) => [v.bidderNo, v.price, aud.bidderId, aud.sealed])).toEqual([
      [n1, '280000.00', a.id, false],
      [n2, '280500.00', b.id, false],
      [n3, '281000.00', c.id, false],
      [n1, '281500.00', a.id, false],
      [n2, '282000.00', b.id, false],
    ]);
    expect(bidEvents.every(([v]) => v.bidder === null)).toBe(true);

    // Not closed at the original end: the extension holds it open.
    await advanceTo(tp, after(start, 121));
    expect((await listing(tp, a.token, created.id)).phase).toBe('bidding');
    await advanceTo(tp, after(start, 124));
    const closed = await listing(tp, tp.regulatorToken, created.id);
    expect(closed).toMatchObject({ status: 'awarded', phase: 'awarded', clearingPrice: '282000.00', soldQuantity: '2.50' });
    expect(closed.awards).toMatchObject([{ bidderNo: n2, price: '282000.00', quantity: '2.50', status: 'traded' }]);
    const tradeId = closed.awards[0]!.tradeId!;

    // Losers: every fen back at the close, before any settlement.
    expect(await cash(tp, a.token)).toEqual(['1000000.00', '0.00']);
    expect(await cash(tp, c.token)).toEqual(['800000.00', '0.00']);
    // Winner: 705,000.00 + 1,762.50 fee stays locked until settlement; the rest is available.
    expect((await cash(tp, b.token))[0]).toBe('293237.50');

    await waitSettled(tp, [tradeId]);
    expect(await cash(tp, b.token)).toEqual(['293237.50', '0.00']);
    expect(await holding(tp, b.token, 'LAND-LINKAGE')).toEqual(['2.50', '0.00']);
    // Seller: 705,000.00 less 0.1% fee 705.00.
    expect(await cash(tp, seller.token)).toEqual(['704295.00', '0.00']);
    expect(await holding(tp, seller.token, 'LAND-LINKAGE')).toEqual(['7.50', '0.00']);
    const settlement = (await tp.api('GET', `/api/settlements/${tradeId}`, b.token)).json<{ status: string; certificateNo: string | null }>();
    expect(settlement.status).toBe('settled');
    expect(settlement.certificateNo).toMatch(/^ERX-/);
    const trade = await tp.running.platform.knex('trades').where({ id: tradeId }).first('venue', 'buyer_id', 'seller_id', 'price', 'quantity');
    expect(trade).toEqual({ venue: 'listing', buyer_id: b.id, seller_id: seller.id, price: '282000.00', quantity: '2.50' });

    expect(await auditActions(tp, `listing:${created.id}`)).toEqual([
      'listing.create',
      'listing.register',
      'listing.register',
      'listing.register',
      'listing.bid',
      'listing.bid',
      'listing.bid',
      'listing.bid',
      'listing.bid',
      'listing.extend',
      'listing.close',
    ]);
    expect(events.filter(([, id]) => id === created.id).map(([change]) => change)).toEqual([
      'created',
      'registered',
      'registered',
      'registered',
      'bid',
      'bid',
      'bid',
      'bid',
      'extended',
      'awarded',
    ]);
    await expectLedgerReconciles(tp);
  });

  it('with no bid fails: the quantity goes back to the seller and every margin is released', async () => {
    const start = tp.running.platform.clock.now();
    const seller = await tp.participant('government', '寻乌县自然资源局', '赣州市寻乌县');
    const [a, b] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'FARMLAND-QTY', '3.00');
    await Promise.all([tp.deposit(a.id, '500000.00'), tp.deposit(b.id, '500000.00')]);
    // The operator lists on the county's behalf.
    const created = await createListing(tp, tp.operatorToken, {
      symbol: 'FARMLAND-QTY',
      sellerId: seller.id,
      title: '寻乌县耕地占补平衡指标挂牌',
      quantity: '1.00',
      startPrice: '400000.00',
      bidIncrement: '1000.00',
      marginPct: '5',
      ...windows(start),
    });
    await advanceTo(tp, after(start, 2));
    await register(tp, a.token, created.id);
    await register(tp, b.token, created.id);
    expect(await cash(tp, a.token)).toEqual(['480000.00', '20000.00']);
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['2.00', '1.00']);

    await advanceTo(tp, after(start, 121));
    const failed = await listing(tp, seller.token, created.id);
    expect(failed).toMatchObject({ status: 'failed', soldQuantity: '0.00', resultReason: 'no bid at or above the start price', awards: [] });
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['3.00', '0.00']);
    expect(await cash(tp, a.token)).toEqual(['500000.00', '0.00']);
    expect(await cash(tp, b.token)).toEqual(['500000.00', '0.00']);
    const registrations = await tp.running.platform.knex('listing_registrations').where({ listing_id: created.id }).pluck('status');
    expect(registrations).toEqual(['lost', 'lost']);
    await expectLedgerReconciles(tp);
  });
});

describe('a sealed-bid listing', () => {
  it('clears multiple units at the lowest winning bid; the marginal bidder is filled in part, the rest released', async () => {
    const start = tp.running.platform.clock.now();
    const seller = await tp.participant('enterprise', '江西碳汇林业有限公司');
    const [a, b, c, d] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise'), tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'CARBON-2024', '1500');
    await Promise.all([a, b, c, d].map((p) => tp.deposit(p.id, '100000.00')));
    const created = await createListing(tp, seller.token, {
      symbol: 'CARBON-2024',
      title: '2024年度林业碳汇统一价格密封竞价',
      mode: 'sealed',
      quantity: '1000',
      startPrice: '62.00',
      marginPct: '10',
      ...windows(start),
    });
    expect(created.minimumBid).toBe('62.00');
    await advanceTo(tp, after(start, 2));
    // Margin on the part each registers for: 10% × 62.00 × quantity.
    const regA = await register(tp, a.token, created.id, '300');
    const regB = await register(tp, b.token, created.id, '500');
    const regC = await register(tp, c.token, created.id, '400');
    const regD = await register(tp, d.token, created.id, '200');
    expect([regA, regB, regC, regD].map((r) => r.margin)).toEqual(['1860.00', '3100.00', '2480.00', '1240.00']);
    const [n1, n2, n3, n4] = [regA, regB, regC, regD].map((r) => r.bidderNo);
    expectRefusal(await tp.api('POST', `/api/listings/${created.id}/registrations`, tp.operatorToken, {}), 403, 'FORBIDDEN_ROLE');

    await advanceTo(tp, after(start, 30));
    await bid(tp, a.token, created.id, '65.00', '300');
    await bid(tp, b.token, created.id, '64.00', '500');
    // B lowers its sealed bid: the later bid replaces the earlier, and its lock follows it down.
    await bid(tp, b.token, created.id, '63.00', '500');
    expect(await cash(tp, b.token)).toEqual(['68500.00', '31500.00']);
    await bid(tp, c.token, created.id, '62.50', '400');
    await bid(tp, d.token, created.id, '62.00', '200');
    expectRefusal(await tp.api('POST', `/api/listings/${created.id}/bids`, d.token, { price: '63.00', quantity: '201' }), 422, 'QUANTITY_EXCEEDS_REGISTRATION');
    expectRefusal(await tp.api('POST', `/api/listings/${created.id}/bids`, d.token, { price: '61.99', quantity: '200' }), 422, 'BID_TOO_LOW');

    // Sealed: no best price or counts on the board, a bidder sees only its own bid, staff nothing
    // (listing-sealed.test.ts goes through every channel).
    const during = await listing(tp, c.token, created.id);
    expect(during).toMatchObject({ sealed: true, bestPrice: null, bids: null, bidders: null });
    expect((await bids(tp, c.token, created.id)).map((x) => [x.price, x.mine])).toEqual([['62.50', true]]);
    expect(await bids(tp, seller.token, created.id)).toEqual([]);
    expect(await bids(tp, tp.regulatorToken, created.id)).toEqual([]);

    await advanceTo(tp, after(start, 121));
    const closed = await listing(tp, tp.regulatorToken, created.id);
    // 1,000 t: A 300 @ 65, B 500 @ 63, C 200 of 400 @ 62.50; D out. All pay 62.50.
    expect(closed).toMatchObject({ status: 'awarded', clearingPrice: '62.50', soldQuantity: '1000' });
    expect(closed.awards.map((x) => [x.bidderNo, x.price, x.quantity, x.status])).toEqual([
      [n1, '62.50', '300', 'traded'],
      [n2, '62.50', '500', 'traded'],
      [n3, '62.50', '200', 'traded'],
    ]);
    // At the close: D all back; each winner has only its trade's cost taken (locked until settled).
    expect(await cash(tp, d.token)).toEqual(['100000.00', '0.00']);
    expect((await cash(tp, a.token))[0]).toBe('81250.00');
    expect((await cash(tp, c.token))[0]).toBe('87500.00');
    await waitSettled(tp, closed.awards.map((x) => x.tradeId!));
    expect(await cash(tp, a.token)).toEqual(['81250.00', '0.00']);
    expect(await cash(tp, b.token)).toEqual(['68750.00', '0.00']);
    expect(await holding(tp, c.token, 'CARBON-2024')).toEqual(['200', '0']);
    expect(await holding(tp, seller.token, 'CARBON-2024')).toEqual(['500', '0']);
    expect(await cash(tp, seller.token)).toEqual(['62500.00', '0.00']);
    // After the close every bid is revealed, still by number.
    expect((await bids(tp, d.token, created.id)).map((x) => [x.bidderNo, x.price, x.bidder])).toEqual([
      [n1, '65.00', null],
      [n2, '64.00', null],
      [n2, '63.00', null],
      [n3, '62.50', null],
      [n4, '62.00', null],
    ]);
    await expectLedgerReconciles(tp);
  });
});

describe('listing lifecycle', () => {
  it('survives a restart between bids and the close; a withdrawn listing releases everything', async () => {
    const start = tp.running.platform.clock.now();
    const seller = await tp.participant('government', '永修县自然资源局', '九江市永修县');
    const [a, b] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'WETLAND', '20.00');
    await Promise.all([tp.deposit(a.id, '2000000.00'), tp.deposit(b.id, '2000000.00')]);
    const base = { symbol: 'WETLAND', title: '永修县湿地占补平衡指标挂牌', quantity: '10.00', startPrice: '88000.00', bidIncrement: '100.00', marginPct: '10', ...windows(start) };
    const kept = await createListing(tp, seller.token, base);
    const withdrawn = await createListing(tp, seller.token, base);
    await advanceTo(tp, after(start, 30));
    for (const id of [kept.id, withdrawn.id]) {
      await register(tp, a.token, id);
      await register(tp, b.token, id);
    }
    await bid(tp, a.token, kept.id, '88000.00');
    await bid(tp, b.token, withdrawn.id, '88500.00');

    // The seller may not withdraw once registration has opened; the operator may.
    expectRefusal(await tp.api('POST', `/api/listings/${withdrawn.id}/cancel`, seller.token, { reason: '规划调整' }), 403, 'CANCEL_NOT_ALLOWED');
    const cancelled = await tp.api('POST', `/api/listings/${withdrawn.id}/cancel`, tp.operatorToken, { reason: '规划调整，撤回挂牌' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', resultReason: '规划调整，撤回挂牌' });
    // B's bid and margin on the withdrawn listing, and the seller's 10.00 亩, are free again.
    expect(await cash(tp, b.token)).toEqual(['1912000.00', '88000.00']);
    expect(await holding(tp, seller.token, 'WETLAND')).toEqual(['10.00', '10.00']);

    await tp.restart();
    pinClock(tp, after(start, 31));
    await bid(tp, b.token, kept.id, '88100.00');
    expect(await cash(tp, a.token)).toEqual(['1912000.00', '88000.00']);
    await advanceTo(tp, after(start, 121));
    const closed = await listing(tp, b.token, kept.id);
    expect(closed).toMatchObject({ status: 'awarded', clearingPrice: '88100.00', me: { leading: true } });
    await waitSettled(tp, [closed.awards[0]!.tradeId!]);
    expect(await cash(tp, a.token)).toEqual(['2000000.00', '0.00']);
    expect(await cash(tp, b.token)).toEqual(['1119000.00', '0.00']);
    expect(await holding(tp, seller.token, 'WETLAND')).toEqual(['10.00', '0.00']);
    await expectLedgerReconciles(tp);
  });
});
