import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { cash, count, expectRefusal, holding, stateSnapshot, submit, type OrderInput, type OrderReply } from './support/market.ts';

// Issue 13, item 8: a retry that reuses an idempotency key (clientOrderId, requestId) with other
// terms is a client bug or a replayed request with tampered terms. Answering the first result
// would tell the client its new terms were applied; it gets 409 IDEMPOTENCY_MISMATCH instead,
// while the same body still returns the stored result.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('idempotency_mismatch', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
});
afterAll(async () => {
  await tp?.close();
});

describe('a clientOrderId repeated with other terms', () => {
  it('is refused for each term that differs and changes nothing; the same terms (in another spelling) replay', async () => {
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '100000.00');
    const input: OrderInput = { symbol: 'CARBON-2024', side: 'buy', price: '61.00', quantity: '100', clientOrderId: 'terms-1' };
    const first = await submit(tp, buyer.token, input);
    expect(first.statusCode, first.body).toBe(201);
    const before = await stateSnapshot(tp, [buyer.token], ['CARBON-2024']);

    for (const changed of [{ price: '61.50' }, { quantity: '200' }, { side: 'sell' as const }, { timeInForce: 'IOC' as const }, { symbol: 'CARBON-2023' }]) {
      expectRefusal(await submit(tp, buyer.token, { ...input, ...changed }), 409, 'IDEMPOTENCY_MISMATCH');
    }
    expect(await stateSnapshot(tp, [buyer.token], ['CARBON-2024'])).toEqual(before);

    // "61.0" is the price "61.00": the same request.
    const again = await submit(tp, buyer.token, { ...input, price: '61.0' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.json<OrderReply>().order.id).toBe(first.json<OrderReply>().order.id);
  });

  it('sent at once with the first: one order, the first terms; the differing ones are refused', async () => {
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '100000.00');
    const input: OrderInput = { symbol: 'CARBON-2024', side: 'buy', price: '60.00', quantity: '10', clientOrderId: 'burst-terms' };
    const replies = await Promise.all([submit(tp, buyer.token, input), ...Array.from({ length: 4 }, (_, i) => submit(tp, buyer.token, { ...input, quantity: String(20 + 10 * i) }))]);
    expect(replies[0]!.statusCode, replies[0]!.body).toBe(201);
    for (const r of replies.slice(1)) expectRefusal(r, 409, 'IDEMPOTENCY_MISMATCH');
    expect(await count(tp, 'orders', `participant_id = ${buyer.id}`)).toBe(1);
    expect(await cash(tp, buyer.token)).toEqual(['99400.00', '600.00']);
  });

  it('after the order was amended still replays the original request, and refuses the amended terms as a new request', async () => {
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '100000.00');
    const input: OrderInput = { symbol: 'CARBON-2024', side: 'buy', price: '59.00', quantity: '100', clientOrderId: 'amended-1' };
    const first = (await submit(tp, buyer.token, input)).json<OrderReply>().order;
    const amend = await tp.api('PATCH', `/api/orders/${first.id}`, buyer.token, { quantity: '50' });
    expect(amend.statusCode, amend.body).toBe(200);
    const again = await submit(tp, buyer.token, input);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json<OrderReply>().order).toMatchObject({ id: first.id, quantity: '50' });
    expectRefusal(await submit(tp, buyer.token, { ...input, quantity: '50' }), 409, 'IDEMPOTENCY_MISMATCH');
  });
});

describe('a registry requestId repeated with other terms', () => {
  it('is refused for a retirement and a use, and changes nothing; the same body replays', async () => {
    const holder = await tp.participant('government');
    await tp.lot(holder.id, 'CARBON-2024', '100');
    await tp.lot(holder.id, 'WETLAND', '10.00');
    const retirement = { symbol: 'CARBON-2024', quantity: '10', beneficiary: '江西省2026年全运会', reason: '赛事碳中和', requestId: 'retire-terms' };
    expect((await tp.api('POST', '/api/registry/retirements', holder.token, retirement)).statusCode).toBe(201);
    const use = { symbol: 'WETLAND', quantity: '1.00', projectName: '昌九高速扩容工程', approvalRef: '赣发改〔2026〕12号', requestId: 'use-terms' };
    expect((await tp.api('POST', '/api/registry/uses', holder.token, use)).statusCode).toBe(201);
    const before = await stateSnapshot(tp, [holder.token], ['CARBON-2024', 'WETLAND']);

    for (const changed of [{ quantity: '20' }, { beneficiary: '另一受益人' }, { reason: '其他用途' }]) {
      expectRefusal(await tp.api('POST', '/api/registry/retirements', holder.token, { ...retirement, ...changed }), 409, 'IDEMPOTENCY_MISMATCH');
    }
    for (const changed of [{ quantity: '2.00' }, { projectName: '另一工程' }, { approvalRef: '赣发改〔2026〕13号' }]) {
      expectRefusal(await tp.api('POST', '/api/registry/uses', holder.token, { ...use, ...changed }), 409, 'IDEMPOTENCY_MISMATCH');
    }
    // The same key used for the other action is another request too.
    expectRefusal(await tp.api('POST', '/api/registry/uses', holder.token, { ...use, requestId: 'retire-terms' }), 409, 'IDEMPOTENCY_MISMATCH');
    expect(await stateSnapshot(tp, [holder.token], ['CARBON-2024', 'WETLAND'])).toEqual(before);

    const replay = await tp.api('POST', '/api/registry/retirements', holder.token, retirement);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replay']).toBe('true');
    expect(await holding(tp, holder.token, 'CARBON-2024')).toEqual(['90', '0']);
  });
});
