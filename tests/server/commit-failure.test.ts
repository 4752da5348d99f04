import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { expectLedgerReconciles, expectRefusal, place, stateSnapshot, submit, waitAllSettled, cash, type OrderReply } from './support/market.ts';

// ARCHITECTURE guarantee 1: journal, then apply, then acknowledge. When the batch's transaction
// fails, nothing it did may stay — not in PostgreSQL, not in the in-memory book — and the engine
// rebuilds from PostgreSQL and goes on. The failure is injected with a trigger in this test's own
// database that refuses one marked order.

let tp: TestPlatform;
let seller: { id: string; token: string };
let buyer: { id: string; token: string };

beforeAll(async () => {
  tp = await startTestPlatform('commit-failure');
  [seller, buyer] = await Promise.all([tp.participant('government'), tp.participant('enterprise')]);
  await tp.lot(seller.id, 'FARMLAND-QTY', '5.00');
  await tp.deposit(buyer.id, '1000000.00');
  await place(tp, seller.token, { symbol: 'FARMLAND-QTY', side: 'sell', price: '368000.00', quantity: '1.00' });
  await tp.running.platform.knex.raw(`
    CREATE FUNCTION test_refuse_marked_order() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.client_order_id = 'refused-by-postgres' THEN RAISE EXCEPTION 'injected commit failure'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_refuse_marked_order BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION test_refuse_marked_order();`);
});
afterAll(async () => {
  await tp?.close();
});

describe('a batch whose commit fails', () => {
  it('answers 503, leaves balances, book and rows as they were, and the engine rebuilds and trades on', async () => {
    const before = await stateSnapshot(tp, [seller.token, buyer.token], ['FARMLAND-QTY']);
    const l3Before = tp.running.platform.engine.restingOrders('FARMLAND-QTY');

    // This buy matches the ask in memory; the transaction then fails on its order row.
    const failed = await submit(tp, buyer.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '368000.00', quantity: '0.40', clientOrderId: 'refused-by-postgres' });
    expectRefusal(failed, 503, 'ENGINE_UNAVAILABLE');
    expect(await stateSnapshot(tp, [seller.token, buyer.token], ['FARMLAND-QTY'])).toEqual(before);

    // Once rebuilt, the ask is whole again: 1.00, not the 0.60 the failed batch left in memory.
    const retry = await eventually(async () => {
      const res = await submit(tp, buyer.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '368000.00', quantity: '0.40', clientOrderId: 'after-rebuild' });
      return res.statusCode === 201 ? res.json<OrderReply>() : res.statusCode === 503 ? undefined : Promise.reject(new Error(res.body));
    }, 'the engine accepting orders again');
    expect(tp.running.platform.engine.restingOrders('FARMLAND-QTY').length).toBe(l3Before.length);
    expect(retry.fills.map((f) => [f.price, f.quantity])).toEqual([['368000.00', '0.40']]);
    const book = (await tp.api('GET', '/api/instruments/FARMLAND-QTY/book')).json<{ asks: unknown[] }>();
    expect(book.asks).toEqual([{ price: '368000.00', quantity: '0.60', orders: 1 }]);
    await waitAllSettled(tp);
    expect(await cash(tp, buyer.token)).toEqual(['852800.00', '0.00']);
    expect(await cash(tp, seller.token)).toEqual(['147200.00', '0.00']);
    await expectLedgerReconciles(tp);
  });
});
