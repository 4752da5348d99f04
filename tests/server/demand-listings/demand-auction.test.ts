import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { cancel, cash, expectLedgerReconciles, expectRefusal, holding, place, waitSettled } from '../support/market.ts';
import { advanceTo, after, allowShortListings, auditActions, pinClock } from '../listings/listing-support.ts';
import type { PublicDemandListings } from '../../../contract/demand-listings.ts';
import { acrossRestart, bidDown, demand, demandState, demandWindows, postDemand, registerSeller } from './demand-support.ts';

// Demand listings (需求挂牌, issue 15): the buyer's cash at the starting price is locked at
// publication; county bureaus holding the indicator register with a margin and bid the price down;
// the lowest bid wins and settles as an off-book trade; everything else is released to the fen.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('demand', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  // Fees, so the buyer's cost and the seller's proceeds differ from price × quantity.
  await tp.running.platform.knex('instruments').where({ symbol: 'FARMLAND-PADDY' }).update({ buyer_fee_bps: 25, seller_fee_bps: 10 });
  await tp.restart();
  pinClock(tp, new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3_600_000));
  await allowShortListings(tp, 'FARMLAND-PADDY', 'CARBON-2024');
});
afterAll(async () => {
  await tp?.close();
});

const paddy = (start: Date) => ({
  symbol: 'FARMLAND-PADDY',
  title: '南昌经开区2026年度水田规模指标需求挂牌',
  quantity: '2.00',
  startPrice: '130000.00',
  floorPrice: '125000.00',
  decrement: '1000.00',
  marginPct: '5',
  antiSnipingSeconds: 300,
  ...demandWindows(start),
});

describe('a demand listing', () => {
  it('two county bureaus bid down, the lowest wins; buyer, winner and loser move to the fen and the ledger reconciles', async () => {
    const start = tp.running.platform.clock.now();
    const buyer = await tp.participant('enterprise', '南昌经开区建设投资有限公司', '南昌市');
    const [a, b, empty] = await Promise.all([
      tp.participant('government', '婺源县自然资源局', '上饶市婺源县'),
      tp.participant('government', '寻乌县自然资源局', '赣州市寻乌县'),
      tp.participant('government', '永修县自然资源局', '九江市永修县'),
    ]);
    const enterprise = await tp.participant('enterprise');
    await Promise.all([tp.deposit(buyer.id, '1000000.00'), tp.deposit(a.id, '50000.00'), tp.deposit(b.id, '50000.00'), tp.deposit(empty.id, '50000.00'), tp.deposit(enterprise.id, '50000.00')]);
    await Promise.all([tp.lot(a.id, 'FARMLAND-PADDY', '5.00'), tp.lot(b.id, 'FARMLAND-PADDY', '5.00'), tp.lot(enterprise.id, 'CARBON-2024', '10')]);
    const tokens = [buyer.token, a.token, b.token, empty.token, enterprise.token];

    // The floor may not go under the guidance price (指导价 = reference 125,000.00), nor the start under the floor.
    expectRefusal(await tp.api('POST', '/api/demand-listings', buyer.token, { ...paddy(start), floorPrice: '124999.99' }), 422, 'FLOOR_BELOW_GUIDANCE_PRICE');
    expectRefusal(await tp.api('POST', '/api/demand-listings', buyer.token, { ...paddy(start), startPrice: '124999.00', floorPrice: '125000.00' }), 422, 'START_BELOW_FLOOR');
    expectRefusal(await tp.api('POST', '/api/demand-listings', buyer.token, { ...paddy(start), quantity: '2.005' }), 422, 'QUANTITY_NOT_ON_LOT');
    expectRefusal(await tp.api('POST', '/api/demand-listings', buyer.token, { ...paddy(start), startPrice: 130000 }), 400, 'INVALID_DECIMAL');

    const created = await postDemand(tp, buyer.token, paddy(start));
    // 2.00 × 130,000.00 = 260,000.00 + 0.25% buyer fee 650.00, locked at publication.
    expect(created).toMatchObject({ status: 'open', phase: 'upcoming', buyerLock: '260650.00', margin: '13000.00', lowestPrice: null, nextBidAtMost: '130000.00', me: { isBuyer: true } });
    expect(await cash(tp, buyer.token)).toEqual(['739350.00', '260650.00']);

    await advanceTo(tp, after(start, 1));
    expectRefusal(await tp.api('POST', `/api/demand-listings/${created.id}/registrations`, buyer.token), 422, 'BUYER_CANNOT_SELL');
    // Paddy-field indicators are sold by government bodies only; a bureau must hold the quantity.
    expectRefusal(await tp.api('POST', `/api/demand-listings/${created.id}/registrations`, enterprise.token), 403, 'SELLER_NOT_ELIGIBLE');
    const noHoldings = await tp.api('POST', `/api/demand-listings/${created.id}/registrations`, empty.token);
    expectRefusal(noHoldings, 422, 'INSUFFICIENT_HOLDINGS');
    expect(noHoldings.json<{ params: Record<string, string> }>().params).toEqual({ needQuantity: '2', availableQuantity: '0' });
    // Margin 5% × 130,000.00 × 2.00 = 13,000.00 of each seller's cash.
    const [regA, regB] = [await registerSeller(tp, a.token, created.id), await registerSeller(tp, b.token, created.id)];
    expect([regA.margin, regB.margin]).toEqual(['13000.00', '13000.00']);
    expect(regA.bidderNo).not.toBe(regB.bidderNo);
    expect(await cash(tp, a.token)).toEqual(['37000.00', '13000.00']);
    expectRefusal(await tp.api('POST', `/api/demand-listings/${created.id}/registrations`, a.token), 409, 'ALREADY_REGISTERED');
    expectRefusal(await tp.api('POST', `/api/demand-listings/${created.id}/bids`, a.token, { price: '130000.00' }), 409, 'BIDDING_CLOSED');

    await advanceTo(tp, after(start, 30));
    // A opens at the starting price: its 2.00 亩 are locked while it leads.
    const first = await bidDown(tp, a.token, created.id, '130000.00');
    expect(first.demandListing).toMatchObject({ lowestPrice: '130000.00', lowestBidderNo: regA.bidderNo, nextBidAtMost: '129000.00', me: { leading: true } });
    expect(await holding(tp, a.token, 'FARMLAND-PADDY')).toEqual(['3.00', '2.00']);

    // Refusals change nothing: balances, reservations, bids, books and ledger rows compared.
    const before = await demandState(tp, tokens, ['FARMLAND-PADDY']);
    const notLower = await tp.api('POST', `/api/demand-listings/${created.id}/bids`, b.token, { price: '129500.00' });
    expectRefusal(notLower, 422, 'BID_NOT_LOWER');
    expect(notLower.json<{ params: Record<string, string> }>().params).toEqual({ maximum: '129000.00' });
    const belowFloor = await tp.api('POST', `/api/demand-listings/${created.id}/bids`, b.token, { price: '124999.00' });
    expectRefusal(belowFloor, 422, 'BID_BELOW_FLOOR');
    expect(belowFloor.json<{ params: Record<string, string> }>().params).toEqual({ floorPrice: '125000.00' });
    expectRefusal(await tp.api('POST', `/api/demand-listings/${created.id}/bids`, empty.token, { price: '128000.00' }), 403, 'NOT_REGISTERED');
    expectRefusal(await tp.api('POST', `/api/demand-listings/${created.id}/bids`, a.token, { price: '128000.00' }), 409, 'ALREADY_LOWEST');
    expectRefusal(await tp.api('POST', `/api/demand-listings/${created.id}/bids`, b.token, { price: '128000.001' }), 422, 'PRICE_NOT_ON_TICK');
    expect(await demandState(tp, tokens, ['FARMLAND-PADDY'])).toEqual(before);

    // B undercuts: B's quantity is locked, A's comes back at once.
    await bidDown(tp, b.token, created.id, '129000.00');
    expect(await holding(tp, b.token, 'FARMLAND-PADDY')).toEqual(['3.00', '2.00']);
    expect(await holding(tp, a.token, 'FARMLAND-PADDY')).toEqual(['5.00', '0.00']);
    await bidDown(tp, a.token, created.id, '127000.00');
    expect(await holding(tp, b.token, 'FARMLAND-PADDY')).toEqual(['5.00', '0.00']);

    // B sells 4.00 on the book meanwhile: with 1.00 free it cannot lead for 2.00, and nothing changes.
    const order = await place(tp, b.token, { symbol: 'FARMLAND-PADDY', side: 'sell', price: '126000.00', quantity: '4.00' });
    const beforeShort = await demandState(tp, tokens, ['FARMLAND-PADDY']);
    const short = await tp.api('POST', `/api/demand-listings/${created.id}/bids`, b.token, { price: '126000.00' });
    expectRefusal(short, 422, 'INSUFFICIENT_HOLDINGS');
    expect(short.json<{ params: Record<string, string> }>().params).toEqual({ needQuantity: '2', availableQuantity: '1' });
    expect(await demandState(tp, tokens, ['FARMLAND-PADDY'])).toEqual(beforeShort);
    await cancel(tp, b.token, order.order.id);

    // A restart in the middle keeps every lock: buyer's cash, both margins, A's lead.
    const beforeRestart = await demandState(tp, tokens, ['FARMLAND-PADDY']);
    await tp.restart();
    pinClock(tp, after(start, 100));
    expect(acrossRestart(await demandState(tp, tokens, ['FARMLAND-PADDY']))).toEqual(acrossRestart(beforeRestart));
    expect(await cash(tp, buyer.token)).toEqual(['739350.00', '260650.00']);
    expect(await holding(tp, a.token, 'FARMLAND-PADDY')).toEqual(['3.00', '2.00']);

    // A bid in the last five minutes moves the close to five minutes after it.
    await advanceTo(tp, after(start, 118));
    const late = await bidDown(tp, b.token, created.id, '126000.00');
    expect(late.demandListing).toMatchObject({ extensions: 1, biddingClosesAt: after(start, 123).toISOString(), lowestPrice: '126000.00', lowestBidderNo: regB.bidderNo });
    await advanceTo(tp, after(start, 121));
    expect((await demand(tp, buyer.token, created.id)).phase).toBe('bidding');

    await advanceTo(tp, after(start, 124));
    const closed = await demand(tp, buyer.token, created.id);
    expect(closed).toMatchObject({ status: 'awarded', clearingPrice: '126000.00', award: { bidderNo: regB.bidderNo, price: '126000.00', quantity: '2.00', status: 'traded', seller: { id: b.id, name: '寻乌县自然资源局' } } });
    // Trade 2.00 × 126,000.00 = 252,000.00, buyer fee 630.00: the rest of the buyer's lock,
    // (130,000 − 126,000) × 2 + 20.00 of fee, is back at once (the cost stays locked until
    // settlement moves it); both margins too.
    expect((await cash(tp, buyer.token))[0]).toBe('747370.00');
    expect(await cash(tp, a.token)).toEqual(['50000.00', '0.00']);
    expect(await holding(tp, a.token, 'FARMLAND-PADDY')).toEqual(['5.00', '0.00']);

    await waitSettled(tp, [closed.award!.tradeId!]);
    expect(await cash(tp, buyer.token)).toEqual(['747370.00', '0.00']);
    expect(await holding(tp, buyer.token, 'FARMLAND-PADDY')).toEqual(['2.00', '0.00']);
    // Winner: its margin back, 252,000.00 less the 0.1% seller fee 252.00.
    expect(await cash(tp, b.token)).toEqual(['301748.00', '0.00']);
    expect(await holding(tp, b.token, 'FARMLAND-PADDY')).toEqual(['3.00', '0.00']);
    expect(await tp.running.platform.knex('reservations').where({ status: 'active' }).whereLike('reference', `demand:${created.id}`).count<{ count: string }[]>('id')).toEqual([{ count: '0' }]);
    expect(await auditActions(tp, `demand-listing:${created.id}`)).toEqual([
      'demand.create', 'demand.register', 'demand.register', 'demand.bid', 'demand.bid', 'demand.bid', 'demand.bid', 'demand.extend', 'demand.close',
    ]);
    await expectLedgerReconciles(tp);

    // The result is public without sign-in: who bought, at what price, from whom.
    const board = (await tp.api('GET', '/api/public/demand-listings')).json<PublicDemandListings>();
    expect(board.results.find((r) => r.id === created.id)).toMatchObject({ outcome: 'awarded', price: '126000.00', quantity: '2.00', buyer: '南昌经开区建设投资有限公司', seller: '寻乌县自然资源局' });
    // Running the close again (a second tick, a restart) trades nothing more.
    await tp.running.platform.scheduler.runDue();
    expect(await tp.running.platform.knex('trades').where({ offbook_ref: `demand-award:${(await tp.running.platform.knex('demand_awards').where({ demand_listing_id: created.id }).first('id')).id}` }).count<{ count: string }[]>('id')).toEqual([{ count: '1' }]);
  });

  it('refuses a buyer without the cash, creating nothing', async () => {
    const start = tp.running.platform.clock.now();
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '100000.00');
    const before = await demandState(tp, [buyer.token], ['FARMLAND-PADDY']);
    const res = await tp.api('POST', '/api/demand-listings', buyer.token, paddy(start));
    expectRefusal(res, 422, 'INSUFFICIENT_FUNDS');
    expect(res.json<{ params: Record<string, string> }>().params).toEqual({ need: '260650.00', available: '100000.00' });
    expect(await demandState(tp, [buyer.token], ['FARMLAND-PADDY'])).toEqual(before);
    expect(await cash(tp, buyer.token)).toEqual(['100000.00', '0.00']);
  });

  it('keeps the working-day minimums of seller listings', async () => {
    const start = tp.running.platform.clock.now();
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '2000000.00');
    const res = await tp.api('POST', '/api/demand-listings', buyer.token, { ...paddy(start), symbol: 'WETLAND', startPrice: '90000.00', floorPrice: '88000.00' });
    expectRefusal(res, 422, 'LISTING_WINDOW_TOO_SHORT');
    expect(await cash(tp, buyer.token)).toEqual(['2000000.00', '0.00']);
  });

  it('with no bid fails and releases every lock exactly', async () => {
    const start = tp.running.platform.clock.now();
    const buyer = await tp.participant('government', '南丰县自然资源局', '抚州市南丰县');
    const seller = await tp.participant('enterprise', '绿林碳汇有限公司', '吉安市');
    await Promise.all([tp.deposit(buyer.id, '10000.00'), tp.deposit(seller.id, '1000.00')]);
    await tp.lot(seller.id, 'CARBON-2024', '100');
    // Carbon sinks may be sold by anyone who holds them: 100 t × 62.00 = 6,200.00 locked.
    const created = await postDemand(tp, buyer.token, { ...paddy(start), symbol: 'CARBON-2024', title: '南丰县林业碳汇需求挂牌', quantity: '100', startPrice: '62.00', floorPrice: '62.00', decrement: '0.50', marginPct: '10' });
    expect(created).toMatchObject({ buyerLock: '6200.00', margin: '620.00', nextBidAtMost: '62.00' });
    expect(await cash(tp, buyer.token)).toEqual(['3800.00', '6200.00']);
    await advanceTo(tp, after(start, 1));
    await registerSeller(tp, seller.token, created.id);
    expect(await cash(tp, seller.token)).toEqual(['380.00', '620.00']);

    const board = (await tp.api('GET', '/api/public/demand-listings')).json<PublicDemandListings>();
    expect(board.announcements.find((x) => x.id === created.id)).toMatchObject({ phase: 'registration', buyer: '南丰县自然资源局', quantity: '100', startPrice: '62.00', floorPrice: '62.00' });

    await advanceTo(tp, after(start, 121));
    expect(await demand(tp, buyer.token, created.id)).toMatchObject({ status: 'failed', award: null, clearingPrice: null, resultReason: expect.any(String) });
    expect(await cash(tp, buyer.token)).toEqual(['10000.00', '0.00']);
    expect(await cash(tp, seller.token)).toEqual(['1000.00', '0.00']);
    expect(await holding(tp, seller.token, 'CARBON-2024')).toEqual(['100', '0']);
    const after2 = (await tp.api('GET', '/api/public/demand-listings')).json<PublicDemandListings>();
    expect(after2.announcements.some((x) => x.id === created.id)).toBe(false);
    expect(after2.results.find((x) => x.id === created.id)).toMatchObject({ outcome: 'failed', price: null, seller: null });
    await expectLedgerReconciles(tp);
  });

  it('a close interrupted after the engine traded resumes after a restart without trading twice', async () => {
    const start = tp.running.platform.clock.now();
    const buyer = await tp.participant('enterprise', '南昌铁路局集团', '南昌市');
    const seller = await tp.participant('enterprise', '赣江林业有限公司', '赣江新区');
    await Promise.all([tp.deposit(buyer.id, '10000.00'), tp.deposit(seller.id, '1000.00')]);
    await tp.lot(seller.id, 'CARBON-2024', '100');
    const created = await postDemand(tp, buyer.token, { ...paddy(start), symbol: 'CARBON-2024', title: '林业碳汇需求挂牌', quantity: '100', startPrice: '70.00', floorPrice: '62.00', decrement: '1.00', marginPct: '10' });
    await advanceTo(tp, after(start, 1));
    await registerSeller(tp, seller.token, created.id);
    await advanceTo(tp, after(start, 30));
    await bidDown(tp, seller.token, created.id, '65.00');

    // The node dies between the engine's trade and the award's bookkeeping: nothing it asks of
    // the engine after that trade gets through.
    const engine = tp.running.platform.engine;
    const submit = engine.submit.bind(engine);
    let lost = false;
    engine.submit = (async (command: Parameters<typeof submit>[0]) => {
      if (lost) throw new Error('node lost');
      const outcome = await submit(command);
      if (command.kind === 'offBookTrade') lost = true;
      if (lost) throw new Error('node lost after the engine answered');
      return outcome;
    }) as typeof engine.submit;
    await advanceTo(tp, after(start, 121));
    expect((await demand(tp, buyer.token, created.id)).status).toBe('closing');

    await tp.restart();
    pinClock(tp, after(start, 122));
    await tp.running.platform.scheduler.runDue();
    const closed = await demand(tp, buyer.token, created.id);
    expect(closed).toMatchObject({ status: 'awarded', clearingPrice: '65.00', award: { status: 'traded', price: '65.00', quantity: '100' } });
    expect(await tp.running.platform.knex('trades').where({ venue: 'listing' }).whereLike('offbook_ref', 'demand-award:%').where({ buyer_id: buyer.id }).count<{ count: string }[]>('id')).toEqual([{ count: '1' }]);
    await waitSettled(tp, [closed.award!.tradeId!]);
    // 100 t × 65.00 = 6,500.00 paid once; the rest of the 7,000.00 lock and the margin came back.
    expect(await cash(tp, buyer.token)).toEqual(['3500.00', '0.00']);
    expect(await holding(tp, buyer.token, 'CARBON-2024')).toEqual(['100', '0']);
    expect(await cash(tp, seller.token)).toEqual(['7500.00', '0.00']);
    expect(await holding(tp, seller.token, 'CARBON-2024')).toEqual(['0', '0']);
    await expectLedgerReconciles(tp);
  });
});
