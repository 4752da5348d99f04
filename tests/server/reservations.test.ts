import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import {
  amend,
  cancel,
  cash,
  count,
  expectLedgerReconciles,
  expectRefusal,
  holding,
  levels,
  place,
  submit,
  waitAllSettled,
  waitSettled,
} from './support/market.ts';

// Prefunding (issue 2, Build 6): a buy locks limit price × lot, rounded up to the fen, plus fee, for
// every lot it may still buy; a sell locks the quantity. Cancels, IOC/FOK remainders, fills below
// the limit and amendments release exactly what is no longer needed, at once — not at settlement.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('reservations', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  // Fees for one instrument, loaded by a restart as after a configuration change.
  await tp.running.platform.knex('instruments').where({ symbol: 'WETLAND' }).update({ buyer_fee_bps: 25, seller_fee_bps: 10 });
  await tp.restart();
});
afterAll(async () => {
  await tp?.close();
});

const buyOrderOf = async (tradeId: string) =>
  (await tp.running.platform.knex('trades').where({ id: tradeId }).first<{ buy_order_id: string; sell_order_id: string }>('buy_order_id', 'sell_order_id'))!;

describe('cancel', () => {
  it('of a buy releases exactly its reservation (price × lot rounded up to the fen, per lot)', async () => {
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '1000000.00');
    // 0.01 亩 at 368,500.01 costs 3,685.0001 → 3,685.01 reserved per lot; 137 lots → 504,846.37.
    const bid = await place(tp, buyer.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '368500.01', quantity: '1.37' });
    expect(bid.order).toMatchObject({ status: 'open', price: '368500.01', quantity: '1.37', filledQuantity: '0.00' });
    expect(await cash(tp, buyer.token)).toEqual(['495153.63', '504846.37']);
    expect(await levels(tp, 'FARMLAND-QTY')).toEqual({ bids: [{ price: '368500.01', quantity: '1.37', orders: 1 }], asks: [] });

    const cancelled = await cancel(tp, buyer.token, bid.order.id);
    expect(cancelled.order).toMatchObject({ status: 'cancelled', cancelReason: 'user', filledQuantity: '0.00' });
    expect(cancelled.fills).toEqual([]);
    expect(await cash(tp, buyer.token)).toEqual(['1000000.00', '0.00']);
    expect(await levels(tp, 'FARMLAND-QTY')).toEqual({ bids: [], asks: [] });
    await expectLedgerReconciles(tp);
  });

  it('needs the exact reservation available, to the fen', async () => {
    const [exact, short] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.deposit(exact.id, '3685.00');
    await tp.deposit(short.id, '3684.99');
    const ok = await place(tp, exact.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '368500.00', quantity: '0.01' });
    expect(await cash(tp, exact.token)).toEqual(['0.00', '3685.00']);
    expectRefusal(await submit(tp, short.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '368500.00', quantity: '0.01' }), 422, 'INSUFFICIENT_FUNDS');
    expect(await cash(tp, short.token)).toEqual(['3684.99', '0.00']);
    await cancel(tp, exact.token, ok.order.id);
    expect(await cash(tp, exact.token)).toEqual(['3685.00', '0.00']);
  });

  it('of a sell releases exactly the unfilled quantity', async () => {
    const [seller, buyer] = await Promise.all([tp.participant('government', '寻乌县自然资源局', '赣州市寻乌县'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'FARMLAND-QTY', '10.00');
    await tp.deposit(buyer.id, '500000.00');
    const ask = await place(tp, seller.token, { symbol: 'FARMLAND-QTY', side: 'sell', price: '370000.00', quantity: '3.37' });
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['6.63', '3.37']);

    const take = await place(tp, buyer.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '370000.00', quantity: '1.20' });
    expect(take.fills.map((f) => [f.price, f.quantity])).toEqual([['370000.00', '1.20']]);
    // The sold 1.20 stays locked until settlement delivers it; the cancel frees the other 2.17.
    const cancelled = await cancel(tp, seller.token, ask.order.id);
    expect(cancelled.order).toMatchObject({ status: 'cancelled', filledQuantity: '1.20', quantity: '3.37' });
    await waitSettled(tp, take.fills.map((f) => f.tradeId));
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['8.80', '0.00']);
    expect(await cash(tp, seller.token)).toEqual(['444000.00', '0.00']);
    expect(await cash(tp, buyer.token)).toEqual(['56000.00', '0.00']);
    expect(await holding(tp, buyer.token, 'FARMLAND-QTY')).toEqual(['1.20', '0.00']);
    expect(await levels(tp, 'FARMLAND-QTY')).toEqual({ bids: [], asks: [] });
    await expectLedgerReconciles(tp);
  });
});

describe('IOC and FOK', () => {
  it('an IOC remainder is released at once, and the filled part costs the maker’s price', async () => {
    const [seller, buyer] = await Promise.all([tp.participant('government'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'LAND-LINKAGE', '5.00');
    await tp.deposit(buyer.id, '300000.00');
    await place(tp, seller.token, { symbol: 'LAND-LINKAGE', side: 'sell', price: '280000.03', quantity: '0.37' });

    // Reserves 100 × ceil(2,812.3457) = 281,235.00; fills 0.37 × 280,000.03 = 103,600.0111 → 103,600.01.
    const ioc = await place(tp, buyer.token, { symbol: 'LAND-LINKAGE', side: 'buy', price: '281234.57', quantity: '1.00', timeInForce: 'IOC' });
    expect(ioc.fills.map((f) => [f.price, f.quantity])).toEqual([['280000.03', '0.37']]);
    expect(ioc.order).toMatchObject({ status: 'cancelled', cancelReason: 'ioc_remainder', filledQuantity: '0.37' });
    // Available is final as soon as the order is answered; only the fill's cost waits for settlement.
    expect((await cash(tp, buyer.token))[0]).toBe('196399.99');
    expect(await levels(tp, 'LAND-LINKAGE')).toEqual({ bids: [], asks: [] });

    await waitSettled(tp, ioc.fills.map((f) => f.tradeId));
    expect(await cash(tp, buyer.token)).toEqual(['196399.99', '0.00']);
    expect(await holding(tp, buyer.token, 'LAND-LINKAGE')).toEqual(['0.37', '0.00']);
    expect(await cash(tp, seller.token)).toEqual(['103600.01', '0.00']);
    expect(await holding(tp, seller.token, 'LAND-LINKAGE')).toEqual(['4.63', '0.00']);
    await expectLedgerReconciles(tp);
  });

  it('a FOK that cannot fill completely trades nothing and leaves balances and book as they were', async () => {
    const [seller, buyer] = await Promise.all([tp.participant('government'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'FARMLAND-PADDY', '3.00');
    await tp.deposit(buyer.id, '1000000.00');
    await place(tp, seller.token, { symbol: 'FARMLAND-PADDY', side: 'sell', price: '125000.00', quantity: '1.00' });
    const bookBefore = await levels(tp, 'FARMLAND-PADDY');
    const tradesBefore = await count(tp, 'trades');

    const fok = await place(tp, buyer.token, { symbol: 'FARMLAND-PADDY', side: 'buy', price: '126000.00', quantity: '1.01', timeInForce: 'FOK' });
    expect(fok.fills).toEqual([]);
    expect(fok.order).toMatchObject({ status: 'cancelled', cancelReason: 'fok_unfilled', filledQuantity: '0.00' });
    expect(await cash(tp, buyer.token)).toEqual(['1000000.00', '0.00']);
    expect(await holding(tp, seller.token, 'FARMLAND-PADDY')).toEqual(['2.00', '1.00']);
    expect(await levels(tp, 'FARMLAND-PADDY')).toEqual(bookBefore);
    expect(await count(tp, 'trades')).toBe(tradesBefore);

    // The same FOK for what is there fills completely.
    const fills = await place(tp, buyer.token, { symbol: 'FARMLAND-PADDY', side: 'buy', price: '126000.00', quantity: '1.00', timeInForce: 'FOK' });
    expect(fills.order).toMatchObject({ status: 'filled', filledQuantity: '1.00' });
    expect((await cash(tp, buyer.token))[0]).toBe('875000.00');
    await waitAllSettled(tp);
    expect(await cash(tp, buyer.token)).toEqual(['875000.00', '0.00']);
    await expectLedgerReconciles(tp);
  });
});

describe('fills below the limit', () => {
  it('release the difference immediately; the resting remainder keeps its own reservation', async () => {
    const [seller, buyer] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'CARBON-2023', '30');
    await tp.deposit(buyer.id, '10000.00');
    await place(tp, seller.token, { symbol: 'CARBON-2023', side: 'sell', price: '57.00', quantity: '30' });
    // Reserves 50 × 59.50 = 2,975.00; 30 fill at 57.00 = 1,710.00 (75.00 released); 20 rest at 59.50 = 1,190.00.
    const bid = await place(tp, buyer.token, { symbol: 'CARBON-2023', side: 'buy', price: '59.50', quantity: '50' });
    expect(bid.order).toMatchObject({ status: 'partially_filled', filledQuantity: '30' });
    expect((await cash(tp, buyer.token))[0]).toBe('7100.00');
    await waitSettled(tp, bid.fills.map((f) => f.tradeId));
    expect(await cash(tp, buyer.token)).toEqual(['7100.00', '1190.00']);
    expect(await cash(tp, seller.token)).toEqual(['1710.00', '0.00']);

    await cancel(tp, buyer.token, bid.order.id);
    expect(await cash(tp, buyer.token)).toEqual(['8290.00', '0.00']);
    expect(await holding(tp, buyer.token, 'CARBON-2023')).toEqual(['30', '0']);
    await expectLedgerReconciles(tp);
  });

  it('with fees: the reservation includes the buyer fee, and settlement charges both fees exactly', async () => {
    const [seller, buyer] = await Promise.all([tp.participant('government'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'WETLAND', '5.00');
    await tp.deposit(buyer.id, '200000.00');
    const instrument = (await tp.api('GET', '/api/instruments')).json<Array<{ symbol: string; buyerFeeBps: number; sellerFeeBps: number }>>().find((i) => i.symbol === 'WETLAND');
    expect(instrument).toMatchObject({ buyerFeeBps: 25, sellerFeeBps: 10 });

    // Per lot: 880.00 + 0.25% fee 2.20 = 882.20; 200 lots = 176,440.00.
    const bid = await place(tp, buyer.token, { symbol: 'WETLAND', side: 'buy', price: '88000.00', quantity: '2.00' });
    expect(await cash(tp, buyer.token)).toEqual(['23560.00', '176440.00']);
    await cancel(tp, buyer.token, bid.order.id);
    expect(await cash(tp, buyer.token)).toEqual(['200000.00', '0.00']);

    await place(tp, seller.token, { symbol: 'WETLAND', side: 'sell', price: '87000.00', quantity: '1.00' });
    // 1.00 fills at 87,000.00 + fee 217.50; the rest of that lot’s reservation (1,002.50) is freed.
    const take = await place(tp, buyer.token, { symbol: 'WETLAND', side: 'buy', price: '88000.00', quantity: '2.00' });
    expect(take.fills.map((f) => [f.price, f.quantity])).toEqual([['87000.00', '1.00']]);
    expect((await cash(tp, buyer.token))[0]).toBe('24562.50');
    await waitSettled(tp, take.fills.map((f) => f.tradeId));
    expect(await cash(tp, buyer.token)).toEqual(['24562.50', '88220.00']);
    // Seller: 87,000.00 − 0.10% = 86,913.00; the platform: 217.50 + 87.00.
    expect(await cash(tp, seller.token)).toEqual(['86913.00', '0.00']);
    expect(await holding(tp, seller.token, 'WETLAND')).toEqual(['4.00', '0.00']);
    expect(await holding(tp, buyer.token, 'WETLAND')).toEqual(['1.00', '0.00']);
    const fees = await tp.running.platform.knex('accounts').where({ system_role: 'fees', asset: 'CNY' }).first<{ available: string }>(tp.running.platform.knex.raw('available::numeric(30, 2)::text AS available'));
    expect(fees?.available).toBe('304.50');
    await cancel(tp, buyer.token, take.order.id);
    expect(await cash(tp, buyer.token)).toEqual(['112782.50', '0.00']);
    await expectLedgerReconciles(tp);
  });
});

describe('self-trade prevention and market orders', () => {
  it('a buy meeting its own ask is cancelled (stp) after the fills before it, and its reservation released', async () => {
    const [own, other, marketBuyer] = await Promise.all([tp.participant('government'), tp.participant('government'), tp.participant('enterprise')]);
    await tp.lot(own.id, 'FARMLAND-GRAIN', '1000');
    await tp.lot(other.id, 'FARMLAND-GRAIN', '1000');
    await tp.deposit(own.id, '10000.00');
    await tp.deposit(marketBuyer.id, '1000.00');
    await place(tp, other.token, { symbol: 'FARMLAND-GRAIN', side: 'sell', price: '3.10', quantity: '100' });
    const ownAsk = await place(tp, own.token, { symbol: 'FARMLAND-GRAIN', side: 'sell', price: '3.15', quantity: '200' });

    // Reserves 300 × 3.20 = 960.00; buys 100 at 3.10 = 310.00, then meets its own ask at 3.15.
    const buy = await place(tp, own.token, { symbol: 'FARMLAND-GRAIN', side: 'buy', price: '3.20', quantity: '300' });
    expect(buy.fills.map((f) => [f.price, f.quantity])).toEqual([['3.10', '100']]);
    expect(buy.order).toMatchObject({ status: 'cancelled', cancelReason: 'stp', filledQuantity: '100' });
    expect((await cash(tp, own.token))[0]).toBe('9690.00');
    expect(await levels(tp, 'FARMLAND-GRAIN')).toEqual({ bids: [], asks: [{ price: '3.15', quantity: '200', orders: 1 }] });
    expect(await holding(tp, own.token, 'FARMLAND-GRAIN')).toEqual(['800', '200']);

    // A market buy reserves at the band's top (3.52 × 250 = 880.00) and keeps only what it paid.
    const market = await place(tp, marketBuyer.token, { symbol: 'FARMLAND-GRAIN', side: 'buy', type: 'market', quantity: '250', timeInForce: 'IOC' });
    expect(market.fills.map((f) => [f.price, f.quantity])).toEqual([['3.15', '200']]);
    expect(market.order).toMatchObject({ status: 'cancelled', cancelReason: 'market_remainder', filledQuantity: '200', price: null });
    expect((await cash(tp, marketBuyer.token))[0]).toBe('370.00');
    await waitAllSettled(tp);
    expect(await cash(tp, marketBuyer.token)).toEqual(['370.00', '0.00']);
    expect(await cash(tp, own.token)).toEqual(['10320.00', '0.00']);
    expect((await tp.api('GET', `/api/orders/${ownAsk.order.id}`, own.token)).json<{ order: { status: string } }>().order.status).toBe('filled');
    await expectLedgerReconciles(tp);
  });
});

describe('amend', () => {
  it('down keeps time priority and releases; a price change re-reserves and goes to the back', async () => {
    expect(await levels(tp, 'FARMLAND-QTY')).toEqual({ bids: [], asks: [] });
    const [first, second, third, seller] = await Promise.all([
      tp.participant('enterprise'),
      tp.participant('enterprise'),
      tp.participant('enterprise'),
      tp.participant('government'),
    ]);
    await tp.deposit(first.id, '2000000.00');
    await tp.deposit(second.id, '1000000.00');
    await tp.deposit(third.id, '1000000.00');
    await tp.lot(seller.id, 'FARMLAND-QTY', '10.00');

    const a = await place(tp, first.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '368000.00', quantity: '3.00' });
    const b = await place(tp, second.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '368000.00', quantity: '2.00' });
    expect(await cash(tp, first.token)).toEqual(['896000.00', '1104000.00']);

    // Down: 2.00 亩 × 368,000.00 = 736,000.00 released at once; first stays ahead of second.
    const down = await amend(tp, first.token, a.order.id, { quantity: '1.00' });
    expect(down.order).toMatchObject({ status: 'open', quantity: '1.00', price: '368000.00' });
    expect(await cash(tp, first.token)).toEqual(['1632000.00', '368000.00']);
    expect(await levels(tp, 'FARMLAND-QTY')).toEqual({ bids: [{ price: '368000.00', quantity: '3.00', orders: 2 }], asks: [] });
    const sell1 = await place(tp, seller.token, { symbol: 'FARMLAND-QTY', side: 'sell', price: '368000.00', quantity: '1.00' });
    expect(sell1.fills.map((f) => [f.price, f.quantity])).toEqual([['368000.00', '1.00']]);
    expect((await buyOrderOf(sell1.fills[0]!.tradeId)).buy_order_id).toBe(a.order.id);

    // Price up: third rests at 368,100.00 first; second moves up to join it and queues behind it.
    const c = await place(tp, third.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '368100.00', quantity: '1.00' });
    const up = await amend(tp, second.token, b.order.id, { price: '368100.00' });
    expect(up.order).toMatchObject({ status: 'open', quantity: '2.00', price: '368100.00' });
    // 2.00 × 368,100.00 = 736,200.00 now locked: 200.00 more than before.
    expect(await cash(tp, second.token)).toEqual(['263800.00', '736200.00']);
    expect(await levels(tp, 'FARMLAND-QTY')).toEqual({ bids: [{ price: '368100.00', quantity: '3.00', orders: 2 }], asks: [] });
    const sell2 = await place(tp, seller.token, { symbol: 'FARMLAND-QTY', side: 'sell', price: '368100.00', quantity: '1.50' });
    expect(sell2.fills.map((f) => [f.price, f.quantity])).toEqual([
      ['368100.00', '1.00'],
      ['368100.00', '0.50'],
    ]);
    expect(await Promise.all(sell2.fills.map(async (f) => (await buyOrderOf(f.tradeId)).buy_order_id))).toEqual([c.order.id, b.order.id]);

    // Down on a partly filled order, and back down on price: each releases only the difference.
    await waitAllSettled(tp);
    expect(await cash(tp, second.token)).toEqual(['263800.00', '552150.00']);
    const lower = await amend(tp, second.token, b.order.id, { price: '367000.00', quantity: '1.00' });
    expect(lower.order).toMatchObject({ status: 'partially_filled', quantity: '1.00', filledQuantity: '0.50', price: '367000.00' });
    // 0.50 亩 remain at 367,000.00 = 183,500.00 locked.
    expect(await cash(tp, second.token)).toEqual(['632450.00', '183500.00']);

    // A sell amended down frees quantity.
    const ask = await place(tp, seller.token, { symbol: 'FARMLAND-QTY', side: 'sell', price: '369000.00', quantity: '2.00' });
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['5.50', '2.00']);
    await amend(tp, seller.token, ask.order.id, { quantity: '0.25' });
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['7.25', '0.25']);

    await cancel(tp, seller.token, ask.order.id);
    await cancel(tp, second.token, b.order.id);
    expect(await cash(tp, second.token)).toEqual(['815950.00', '0.00']);
    expect(await levels(tp, 'FARMLAND-QTY')).toEqual({ bids: [], asks: [] });
    await expectLedgerReconciles(tp);
  });

  it('up in quantity loses time priority', async () => {
    const [first, second, seller] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise'), tp.participant('government')]);
    await tp.deposit(first.id, '1000000.00');
    await tp.deposit(second.id, '1000000.00');
    await tp.lot(seller.id, 'FARMLAND-QTY', '1.00');
    const a = await place(tp, first.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '367000.00', quantity: '1.00' });
    const b = await place(tp, second.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '367000.00', quantity: '1.00' });
    await amend(tp, first.token, a.order.id, { quantity: '2.00' });
    expect(await cash(tp, first.token)).toEqual(['266000.00', '734000.00']);
    const sell = await place(tp, seller.token, { symbol: 'FARMLAND-QTY', side: 'sell', price: '367000.00', quantity: '1.00' });
    expect((await buyOrderOf(sell.fills[0]!.tradeId)).buy_order_id).toBe(b.order.id);
    await cancel(tp, first.token, a.order.id);
    expect(await cash(tp, first.token)).toEqual(['1000000.00', '0.00']);
    await waitAllSettled(tp);
    await expectLedgerReconciles(tp);
  });
});

describe('orders in flight together', () => {
  it('20 concurrent buys that together exceed the cash: exactly the affordable ones are accepted', async () => {
    const buyer = await tp.participant('enterprise');
    // 100 t × 62.00 = 6,200.00 each; 45,000.00 covers 7 (43,400.00), not 8.
    await tp.deposit(buyer.id, '45000.00');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => submit(tp, buyer.token, { symbol: 'CARBON-2024', side: 'buy', price: '62.00', quantity: '100' })),
    );
    const accepted = results.filter((r) => r.statusCode === 201);
    const refused = results.filter((r) => r.statusCode !== 201);
    expect(accepted).toHaveLength(7);
    expect(refused).toHaveLength(13);
    for (const r of refused) expectRefusal(r, 422, 'INSUFFICIENT_FUNDS');
    expect(await cash(tp, buyer.token)).toEqual(['1600.00', '43400.00']);
    expect(await count(tp, 'orders', `participant_id = ${buyer.id}`)).toBe(7);
    expect(await levels(tp, 'CARBON-2024')).toEqual({ bids: [{ price: '62.00', quantity: '700', orders: 7 }], asks: [] });
    const negative = await tp.running.platform.knex('accounts').whereNotNull('participant_id').where((q) => q.where('available', '<', 0).orWhere('locked', '<', 0)).count<Array<{ count: string }>>('* as count');
    expect(negative[0]!.count).toBe('0');

    await Promise.all(accepted.map((r) => cancel(tp, buyer.token, r.json<{ order: { id: string } }>().order.id)));
    expect(await cash(tp, buyer.token)).toEqual(['45000.00', '0.00']);
    await expectLedgerReconciles(tp);
  });

  it('20 concurrent sells that together exceed the holdings: exactly the covered ones are accepted', async () => {
    const seller = await tp.participant('enterprise');
    await tp.lot(seller.id, 'CARBON-2024', '250');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => submit(tp, seller.token, { symbol: 'CARBON-2024', side: 'sell', price: '65.00', quantity: '40' })),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(6);
    for (const r of results.filter((x) => x.statusCode !== 201)) expectRefusal(r, 422, 'INSUFFICIENT_HOLDINGS');
    expect(await holding(tp, seller.token, 'CARBON-2024')).toEqual(['10', '240']);
    expect(await levels(tp, 'CARBON-2024')).toEqual({ bids: [], asks: [{ price: '65.00', quantity: '240', orders: 6 }] });
    await expectLedgerReconciles(tp);
  });
});

// The engine remembers balances between commits; money and quantity arriving from outside it
// (deposits, lot registrations, settlement proceeds) must count as soon as they are committed.
describe('balances that grow outside the engine', () => {
  it('a deposit confirmed after an order is usable by the next order, to the fen', async () => {
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '10000.00');
    await place(tp, buyer.token, { symbol: 'CARBON-2024', side: 'buy', price: '60.00', quantity: '100' }); // 6,000 locked
    await tp.deposit(buyer.id, '5000.00');
    // 9,000 needs the new deposit; the 4,000 left before it would not do.
    await place(tp, buyer.token, { symbol: 'CARBON-2024', side: 'buy', price: '60.00', quantity: '150' });
    expect(await cash(tp, buyer.token)).toEqual(['0.00', '15000.00']);
    const over = await submit(tp, buyer.token, { symbol: 'CARBON-2024', side: 'buy', price: '56.00', quantity: '1' });
    expectRefusal(over, 422, 'INSUFFICIENT_FUNDS');
    expect(over.json<{ message: string }>().message).toContain('only ¥0.00 is available');
    await expectLedgerReconciles(tp);
  });

  it('a lot registered after a sell is sellable at once; settlement proceeds fund the seller’s next buy', async () => {
    const [seller, buyer] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'CARBON-2023', '10');
    await place(tp, seller.token, { symbol: 'CARBON-2023', side: 'sell', price: '58.00', quantity: '10' });
    await tp.lot(seller.id, 'CARBON-2023', '5');
    await place(tp, seller.token, { symbol: 'CARBON-2023', side: 'sell', price: '58.00', quantity: '5' });
    expect(await holding(tp, seller.token, 'CARBON-2023')).toEqual(['0', '15']);

    await tp.deposit(buyer.id, '870.00');
    const bought = await place(tp, buyer.token, { symbol: 'CARBON-2023', side: 'buy', price: '58.00', quantity: '15' });
    await waitSettled(tp, bought.fills.map((f) => f.tradeId));
    // The seller had no cash before; the proceeds, credited by settlement, buy carbon of another vintage.
    await place(tp, seller.token, { symbol: 'CARBON-2024', side: 'buy', price: '58.00', quantity: '15' });
    expect(await cash(tp, seller.token)).toEqual(['0.00', '870.00']);
    await expectLedgerReconciles(tp);
  });
});
