import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { reconcile } from '../../server/ledger/reconciliation.ts';

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('order-flow');
});
afterAll(async () => {
  await tp?.close();
});

const account = async (token: string) => (await tp.api('GET', '/api/account', token)).json<{
  cash: { available: string; locked: string };
  holdings: Array<{ symbol: string; available: string; locked: string }>;
}>();

describe('an order from entry to settlement', () => {
  it('fills a buy against two asks at the makers’ prices in time priority, then settles exact to the fen', async () => {
    const wuyuan = await tp.participant('government', '婺源县自然资源局');
    const xunwu = await tp.participant('government', '寻乌县自然资源局', '赣州市寻乌县');
    const buyer = await tp.participant('enterprise', '南昌城市建设投资发展有限公司', '南昌市红谷滩区');
    await tp.lot(wuyuan.id, 'FARMLAND-QTY', '10.00');
    await tp.lot(xunwu.id, 'FARMLAND-QTY', '10.00');
    await tp.deposit(buyer.id, '5000000.00');

    const ask = (token: string, price: string, quantity: string) =>
      tp.api('POST', '/api/orders', token, { symbol: 'FARMLAND-QTY', side: 'sell', type: 'limit', price, quantity, timeInForce: 'GTC' });
    const first = await ask(wuyuan.token, '370000.00', '3.00');
    const second = await ask(xunwu.token, '370000.00', '4.00');
    const dearer = await ask(wuyuan.token, '371234.57', '1.37');
    expect([first.statusCode, second.statusCode, dearer.statusCode]).toEqual([201, 201, 201]);

    const buy = await tp.api('POST', '/api/orders', buyer.token, {
      symbol: 'FARMLAND-QTY',
      side: 'buy',
      type: 'limit',
      price: '372000.00',
      quantity: '10.00',
      timeInForce: 'GTC',
    });
    expect(buy.statusCode).toBe(201);
    const body = buy.json<{ order: { status: string; filledQuantity: string; id: string }; fills: Array<{ price: string; quantity: string; tradeId: string }> }>();
    // Time priority at 370,000.00 (wuyuan before xunwu), then the dearer level; 1.63 亩 rests.
    expect(body.fills.map((f) => [f.price, f.quantity])).toEqual([
      ['370000.00', '3.00'],
      ['370000.00', '4.00'],
      ['371234.57', '1.37'],
    ]);
    expect(body.order.status).toBe('partially_filled');
    expect(body.order.filledQuantity).toBe('8.37');

    for (const fill of body.fills) {
      await eventually(async () => (await tp.api('GET', `/api/settlements/${fill.tradeId}`, buyer.token)).json<{ status: string }>().status === 'settled', `trade ${fill.tradeId} settled`);
    }
    // Paid 7×370,000.00 + 1.37×371,234.57 (508,591.3609 → 508,591.36) = 3,098,591.36; the 1.63 亩
    // still resting keeps 1.63 × 372,000.00 = 606,360.00 locked.
    const buyerAccount = await account(buyer.token);
    expect(buyerAccount.cash).toEqual({ currency: 'CNY', available: '1295048.64', locked: '606360.00' });
    expect(buyerAccount.holdings.find((h) => h.symbol === 'FARMLAND-QTY')).toMatchObject({ available: '8.37', locked: '0.00' });
    const wuyuanAccount = await account(wuyuan.token);
    expect(wuyuanAccount.cash).toEqual({ currency: 'CNY', available: '1618591.36', locked: '0.00' });
    expect(wuyuanAccount.holdings.find((h) => h.symbol === 'FARMLAND-QTY')).toMatchObject({ available: '5.63', locked: '0.00' });
    const xunwuAccount = await account(xunwu.token);
    expect(xunwuAccount.cash).toEqual({ currency: 'CNY', available: '1480000.00', locked: '0.00' });
    expect(xunwuAccount.holdings.find((h) => h.symbol === 'FARMLAND-QTY')).toMatchObject({ available: '6.00', locked: '0.00' });
    const book = (await tp.api('GET', '/api/instruments/FARMLAND-QTY/book')).json<{ bids: unknown[]; asks: unknown[] }>();
    expect(book).toMatchObject({ bids: [{ price: '372000.00', quantity: '1.63', orders: 1 }], asks: [] });

    const report = await reconcile(tp.running.platform.knex);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
