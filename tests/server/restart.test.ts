import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { account, amend, cancel, cash, expectLedgerReconciles, holding, levels, place, settlementStatus, waitAllSettled, type OrderReply } from './support/market.ts';

// Issue 2, Build 9: a restart rebuilds every book from PostgreSQL with the same resting orders in
// the same priority, and pending settlements complete.

const FQ = 'FARMLAND-QTY';

describe('a restart restores the book', () => {
  let tp: TestPlatform;
  beforeAll(async () => {
    tp = await startTestPlatform('restart-book', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  });
  afterAll(async () => {
    await tp?.close();
  });

  /** L3: the engine's resting orders in priority, without timestamps. */
  const l3 = () =>
    tp.running.platform.engine.restingOrders(FQ).map((o) => ({ orderId: String(o.orderId), ownerId: String(o.ownerId), side: o.side, priceTicks: o.priceTicks, remainingLots: o.remainingLots }));

  it('keeps every level and the queue order inside each level, amended and partly filled orders included', async () => {
    const [s1, s2, s3, b1, b2, sweeper] = await Promise.all([
      tp.participant('government', '婺源县自然资源局'),
      tp.participant('government', '寻乌县自然资源局', '赣州市寻乌县'),
      tp.participant('government', '鄱阳县自然资源局', '上饶市鄱阳县'),
      tp.participant('enterprise', '南昌城市建设投资发展有限公司', '南昌市红谷滩区'),
      tp.participant('enterprise', '九江市城市发展集团有限公司', '九江市濂溪区'),
      tp.participant('enterprise', '赣州发展投资控股集团有限责任公司', '赣州市章贡区'),
    ]);
    for (const s of [s1, s2, s3]) await tp.lot(s.id, FQ, '10.00');
    await tp.deposit(b1.id, '1000000.00');
    await tp.deposit(b2.id, '1000000.00');
    await tp.deposit(sweeper.id, '2200000.00');

    const sell = (who: { token: string }, price: string, quantity: string) => place(tp, who.token, { symbol: FQ, side: 'sell', price, quantity });
    const buy = (who: { token: string }, price: string, quantity: string) => place(tp, who.token, { symbol: FQ, side: 'buy', price, quantity });
    const a1 = await sell(s1, '369000.00', '1.00');
    const a2 = await sell(s2, '369000.00', '2.00');
    const a3 = await sell(s3, '368800.00', '0.50');
    const a4 = await sell(s1, '369500.00', '0.75');
    const a5 = await sell(s2, '369500.00', '1.25');
    const a6 = await sell(s3, '369000.00', '0.30');
    await amend(tp, s1.token, a1.order.id, { quantity: '0.80' }); // keeps its place, first at 369,000.00
    await amend(tp, s2.token, a5.order.id, { price: '369000.00' }); // moves to 369,000.00, behind a6
    const a7 = await sell(s3, '369500.00', '0.40');
    const bid1 = await buy(b1, '368000.00', '1.00');
    const bid2 = await buy(b2, '368000.00', '1.00');
    const bid3 = await buy(b1, '367000.00', '0.50');
    const bid4 = await buy(b1, '366000.00', '0.10');
    const partial = await buy(b2, '368800.00', '0.20'); // a3 is now partly filled
    expect(partial.fills.map((f) => [f.price, f.quantity])).toEqual([['368800.00', '0.20']]);
    await waitAllSettled(tp);

    const id = (o: OrderReply) => o.order.id;
    const bookBefore = await levels(tp, FQ);
    expect(bookBefore).toEqual({
      bids: [
        { price: '368000.00', quantity: '2.00', orders: 2 },
        { price: '367000.00', quantity: '0.50', orders: 1 },
        { price: '366000.00', quantity: '0.10', orders: 1 },
      ],
      asks: [
        { price: '368800.00', quantity: '0.30', orders: 1 },
        { price: '369000.00', quantity: '4.35', orders: 4 },
        { price: '369500.00', quantity: '1.15', orders: 2 },
      ],
    });
    const queueBefore = l3();
    expect(queueBefore.filter((o) => o.side === 'sell').map((o) => o.orderId)).toEqual([a3, a1, a2, a6, a5, a4, a7].map(id));
    expect(queueBefore.filter((o) => o.side === 'buy').map((o) => o.orderId)).toEqual([bid1, bid2, bid3, bid4].map(id));
    const parties = [s1, s2, s3, b1, b2, sweeper];
    const accountsBefore = await Promise.all(parties.map((p) => account(tp, p.token)));
    // A halt is state too.
    expect((await tp.api('POST', '/api/regulator/instruments/WETLAND/halt', tp.regulatorToken, { reason: '重启前暂停' })).statusCode).toBe(200);

    await tp.restart();

    const wetland = (await tp.api('GET', '/api/instruments')).json<Array<{ symbol: string; status: string; haltReason: string | null }>>().find((i) => i.symbol === 'WETLAND');
    expect(wetland).toMatchObject({ status: 'halted', haltReason: '重启前暂停' });
    const refused = await tp.api('POST', '/api/orders', b1.token, { symbol: 'WETLAND', side: 'buy', type: 'limit', price: '88000.00', quantity: '0.01', timeInForce: 'GTC' });
    expect([refused.statusCode, refused.json<{ code: string }>().code]).toEqual([409, 'INSTRUMENT_HALTED']);

    expect(await levels(tp, FQ)).toEqual(bookBefore);
    expect(l3()).toEqual(queueBefore);
    expect(await Promise.all(parties.map((p) => account(tp, p.token)))).toEqual(accountsBefore);
    const orders = (await tp.api('GET', '/api/orders?status=open', s2.token)).json<Array<{ id: string; price: string; quantity: string; status: string }>>();
    expect(orders.map((o) => [o.id, o.price, o.quantity, o.status])).toEqual([
      [a5.order.id, '369000.00', '1.25', 'open'],
      [a2.order.id, '369000.00', '2.00', 'open'],
    ]);

    // A sweeping buy after the restart meets the asks exactly in the order recorded before it.
    const sweep = await buy(sweeper, '369500.00', '5.80');
    expect(sweep.order).toMatchObject({ status: 'filled', filledQuantity: '5.80' });
    const expectedAsks = queueBefore.filter((o) => o.side === 'sell');
    const knex = tp.running.platform.knex;
    const makers = await Promise.all(sweep.fills.map(async (f) => (await knex('trades').where({ id: f.tradeId }).first<{ sell_order_id: string }>('sell_order_id'))!.sell_order_id));
    expect(makers).toEqual(expectedAsks.map((o) => o.orderId));
    expect(sweep.fills.map((f) => [f.price, f.quantity])).toEqual([
      ['368800.00', '0.30'],
      ['369000.00', '0.80'],
      ['369000.00', '2.00'],
      ['369000.00', '0.30'],
      ['369000.00', '1.25'],
      ['369500.00', '0.75'],
      ['369500.00', '0.40'],
    ]);
    // And a sweeping sell meets the bids in their recorded order.
    const hit = await sell(s1, '367000.00', '2.50');
    const takers = await Promise.all(hit.fills.map(async (f) => (await knex('trades').where({ id: f.tradeId }).first<{ buy_order_id: string }>('buy_order_id'))!.buy_order_id));
    expect(takers).toEqual([bid1, bid2, bid3].map(id));
    expect(hit.fills.map((f) => [f.price, f.quantity])).toEqual([
      ['368000.00', '1.00'],
      ['368000.00', '1.00'],
      ['367000.00', '0.50'],
    ]);

    // A resting order rebuilt from PostgreSQL can still be cancelled, releasing its reservation.
    await waitAllSettled(tp);
    // b1 paid 368,000.00 + 183,500.00; 0.10 × 366,000.00 = 36,600.00 still reserved.
    expect(await cash(tp, b1.token)).toEqual(['411900.00', '36600.00']);
    await cancel(tp, b1.token, bid4.order.id);
    expect(await cash(tp, b1.token)).toEqual(['448500.00', '0.00']);
    expect(await levels(tp, FQ)).toEqual({ bids: [], asks: [] });
    // 0.30 × 368,800.00 + 4.35 × 369,000.00 + 1.15 × 369,500.00 = 2,140,715.00
    expect(await cash(tp, sweeper.token)).toEqual(['59285.00', '0.00']);
    expect(await holding(tp, sweeper.token, FQ)).toEqual(['5.80', '0.00']);
    await expectLedgerReconciles(tp);
  });
});

describe('a restart completes pending settlements', () => {
  let tp: TestPlatform;
  beforeAll(async () => {
    tp = await startTestPlatform('restart-settle', { SETTLEMENT_WORKERS: 0 });
  });
  afterAll(async () => {
    await tp?.close();
  });

  it('settles trades made while no worker ran: one still queued in Redis, one whose job was lost before the crash', async () => {
    const [seller, buyer] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'CARBON-2024', '100');
    await tp.deposit(buyer.id, '10000.00');
    await place(tp, seller.token, { symbol: 'CARBON-2024', side: 'sell', price: '62.00', quantity: '70' });
    const queued = await place(tp, buyer.token, { symbol: 'CARBON-2024', side: 'buy', price: '62.50', quantity: '40' });
    const lost = await place(tp, buyer.token, { symbol: 'CARBON-2024', side: 'buy', price: '62.00', quantity: '30' });
    const [queuedTrade, lostTrade] = [queued.fills[0]!.tradeId, lost.fills[0]!.tradeId];
    const knex = tp.running.platform.knex;
    const outbox = (tradeId: string) => knex('settlement_outbox').where({ trade_id: tradeId }).first<{ enqueued_at: Date | null } | undefined>('enqueued_at');

    // The relay hands both to BullMQ, but nobody works the queue.
    await eventually(async () => (await outbox(queuedTrade))?.enqueued_at && (await outbox(lostTrade))?.enqueued_at, 'both trades enqueued');
    const queue = tp.running.platform.settlementQueue;
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 2 });
    // The second job is lost as in a crash between commit and enqueue: no job, outbox row unsent.
    await queue.remove(`trade-${lostTrade}`);
    await knex('settlement_outbox').where({ trade_id: lostTrade }).update({ enqueued_at: null });

    expect([await settlementStatus(tp, queuedTrade), await settlementStatus(tp, lostTrade)]).toEqual(['pending', 'pending']);
    // 40 × 62.00 + 30 × 62.00 = 4,340.00 stays locked until settlement.
    expect(await cash(tp, buyer.token)).toEqual(['5660.00', '4340.00']);
    expect(await holding(tp, seller.token, 'CARBON-2024')).toEqual(['30', '70']);

    await tp.restart({ SETTLEMENT_WORKERS: 1 });

    await eventually(async () => (await settlementStatus(tp, queuedTrade)) === 'settled' && (await settlementStatus(tp, lostTrade)) === 'settled', 'both trades settled after the restart');
    const settlement = (await tp.api('GET', `/api/settlements/${lostTrade}`, buyer.token)).json<{ certificateNo: string | null; settledAt: string | null }>();
    expect(settlement.certificateNo).toMatch(/^ERX-\d{8}-\d{10}$/);
    expect(await cash(tp, buyer.token)).toEqual(['5660.00', '0.00']);
    expect(await holding(tp, buyer.token, 'CARBON-2024')).toEqual(['70', '0']);
    expect(await cash(tp, seller.token)).toEqual(['4340.00', '0.00']);
    expect(await holding(tp, seller.token, 'CARBON-2024')).toEqual(['30', '0']);
    expect(await tp.running.platform.knex('settlement_outbox').count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
    expect(await tp.running.platform.knex('settlements').count<Array<{ count: string }>>('* as count')).toEqual([{ count: '2' }]);
    await expectLedgerReconciles(tp);
  });
});
