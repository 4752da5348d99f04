import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { cash, count, expectLedgerReconciles, expectRefusal, holding, levels, place, submit, waitAllSettled, type OrderInput, type OrderReply } from './support/market.ts';

// Repeating a clientOrderId returns the first result and creates nothing new (issue 2, Done when).

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('idempotency', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
});
afterAll(async () => {
  await tp?.close();
});

const ordersWithClientId = (participantId: string, clientOrderId: string) => count(tp, 'orders', `participant_id = ${participantId} AND client_order_id = '${clientOrderId}'`);

describe('a repeated clientOrderId', () => {
  it('sequentially: returns the first order and creates nothing new; a different body is refused', async () => {
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '1000000.00');
    const input: OrderInput = { symbol: 'FARMLAND-QTY', side: 'buy', price: '368000.00', quantity: '1.00', clientOrderId: 'erx-2026-0001' };
    const first = await submit(tp, buyer.token, input);
    expect(first.statusCode).toBe(201);
    const firstOrder = first.json<OrderReply>().order;
    expect(firstOrder).toMatchObject({ clientOrderId: 'erx-2026-0001', status: 'open', price: '368000.00', quantity: '1.00' });
    const ordersAfterFirst = await count(tp, 'orders');

    const again = await submit(tp, buyer.token, input);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.json<OrderReply>()).toEqual({ order: firstOrder, fills: [] });

    // Same id, other terms: refused (issue 13), and the new terms are not applied.
    expectRefusal(await submit(tp, buyer.token, { ...input, price: '369000.00', quantity: '2.00' }), 409, 'IDEMPOTENCY_MISMATCH');

    expect(await count(tp, 'orders')).toBe(ordersAfterFirst);
    expect(await ordersWithClientId(buyer.id, 'erx-2026-0001')).toBe(1);
    expect(await cash(tp, buyer.token)).toEqual(['632000.00', '368000.00']);
    expect(await levels(tp, 'FARMLAND-QTY')).toEqual({ bids: [{ price: '368000.00', quantity: '1.00', orders: 1 }], asks: [] });
  });

  it('10 identical requests at once: one order, one reservation, the same answer to all', async () => {
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '10000.00');
    const input: OrderInput = { symbol: 'CARBON-2024', side: 'buy', price: '61.00', quantity: '100', clientOrderId: 'burst-1' };
    const replies = await Promise.all(Array.from({ length: 10 }, () => submit(tp, buyer.token, input)));
    expect(replies.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const orders = replies.map((r) => r.json<OrderReply>().order);
    expect(new Set(orders.map((o) => o.id)).size).toBe(1);
    expect(orders[0]).toMatchObject({ clientOrderId: 'burst-1', status: 'open', quantity: '100' });
    expect(await ordersWithClientId(buyer.id, 'burst-1')).toBe(1);
    expect(await count(tp, 'orders', `participant_id = ${buyer.id}`)).toBe(1);
    expect(await cash(tp, buyer.token)).toEqual(['3900.00', '6100.00']);
    expect(await levels(tp, 'CARBON-2024')).toEqual({ bids: [{ price: '61.00', quantity: '100', orders: 1 }], asks: [] });
  });

  it('10 identical requests at once for an order that trades: one trade, the same fills in every answer', async () => {
    const [seller, buyer] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'CARBON-2023', '500');
    await tp.deposit(buyer.id, '100000.00');
    await place(tp, seller.token, { symbol: 'CARBON-2023', side: 'sell', price: '57.50', quantity: '500' });
    const tradesBefore = await count(tp, 'trades');

    const input: OrderInput = { symbol: 'CARBON-2023', side: 'buy', price: '58.00', quantity: '300', timeInForce: 'IOC', clientOrderId: 'sweep-7' };
    const replies = await Promise.all(Array.from({ length: 10 }, () => submit(tp, buyer.token, input)));
    expect(replies.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const bodies = replies.map((r) => r.json<OrderReply>());
    for (const body of bodies) {
      expect(body.order.id).toBe(bodies[0]!.order.id);
      expect(body.order).toMatchObject({ status: 'filled', filledQuantity: '300' });
      expect(body.fills).toEqual([{ tradeId: bodies[0]!.fills[0]!.tradeId, price: '57.50', quantity: '300' }]);
    }
    expect(await count(tp, 'trades')).toBe(tradesBefore + 1);
    expect(await levels(tp, 'CARBON-2023')).toEqual({ bids: [], asks: [{ price: '57.50', quantity: '200', orders: 1 }] });
    await waitAllSettled(tp);
    // 300 × 57.50 = 17,250.00, paid once.
    expect(await cash(tp, buyer.token)).toEqual(['82750.00', '0.00']);
    expect(await holding(tp, buyer.token, 'CARBON-2023')).toEqual(['300', '0']);
    expect(await holding(tp, seller.token, 'CARBON-2023')).toEqual(['0', '200']);
    await expectLedgerReconciles(tp);
  });

  it('from two participants names two independent orders', async () => {
    const [one, two] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.deposit(one.id, '1000.00');
    await tp.deposit(two.id, '1000.00');
    const input: OrderInput = { symbol: 'CARBON-2024', side: 'buy', price: '60.00', quantity: '10', clientOrderId: 'shared-id' };
    const [a, b] = await Promise.all([submit(tp, one.token, input), submit(tp, two.token, { ...input, quantity: '5' })]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.headers['idempotent-replay']).toBeUndefined();
    expect(b.headers['idempotent-replay']).toBeUndefined();
    const [orderA, orderB] = [a.json<OrderReply>().order, b.json<OrderReply>().order];
    expect(orderA.id).not.toBe(orderB.id);
    expect([orderA.quantity, orderB.quantity]).toEqual(['10', '5']);
    expect(await cash(tp, one.token)).toEqual(['400.00', '600.00']);
    expect(await cash(tp, two.token)).toEqual(['700.00', '300.00']);
    // Each participant's repeat finds its own order only.
    expect((await submit(tp, two.token, { ...input, quantity: '5' })).json<OrderReply>().order.id).toBe(orderB.id);
    expect((await submit(tp, one.token, input)).json<OrderReply>().order.id).toBe(orderA.id);
  });

  it('that was refused is not used up: a retry after the refusal is placed', async () => {
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '100.00');
    const input: OrderInput = { symbol: 'CARBON-2024', side: 'buy', price: '60.00', quantity: '10', clientOrderId: 'after-funding' };
    expectRefusal(await submit(tp, buyer.token, input), 422, 'INSUFFICIENT_FUNDS');
    expect(await ordersWithClientId(buyer.id, 'after-funding')).toBe(0);
    await tp.deposit(buyer.id, '500.00');
    const retry = await submit(tp, buyer.token, input);
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.headers['idempotent-replay']).toBeUndefined();
    expect(await cash(tp, buyer.token)).toEqual(['0.00', '600.00']);
  });

  it('still returns the first order after a restart', async () => {
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '1000.00');
    const input: OrderInput = { symbol: 'CARBON-2024', side: 'buy', price: '59.00', quantity: '10', clientOrderId: 'survives-restart' };
    const first = (await submit(tp, buyer.token, input)).json<OrderReply>().order;
    await tp.restart();
    const again = await submit(tp, buyer.token, input);
    expect(again.statusCode).toBe(201);
    expect(again.json<OrderReply>().order).toEqual(first);
    expect(await ordersWithClientId(buyer.id, 'survives-restart')).toBe(1);
    expect(await cash(tp, buyer.token)).toEqual(['410.00', '590.00']);
    await expectLedgerReconciles(tp);
  });
});
