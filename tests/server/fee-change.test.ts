import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { cash, expectLedgerReconciles, place, submit, waitAllSettled } from './support/market.ts';

// Server bug 5 (see the report): a resting buy keeps the reservation computed with the fee of its
// day; after the buyer fee is raised, a fill against it needs more than was reserved, recordFill
// throws "reservation shortfall", and the whole batch fails (503) — every time that order is hit.
let tp: TestPlatform;
beforeAll(async () => {
  tp = await startTestPlatform('fee-change');
});
afterAll(async () => {
  await tp?.close();
});

describe('raising the buyer fee while buy orders rest', () => {
  it('does not stop those orders from trading, and no buyer is charged more than was reserved', async () => {
    const [buyer, seller] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.deposit(buyer.id, '10000.00');
    await tp.lot(seller.id, 'CARBON-2024', '101');
    await place(tp, buyer.token, { symbol: 'CARBON-2024', side: 'buy', price: '62.00', quantity: '100' });
    expect(await cash(tp, buyer.token)).toEqual(['3800.00', '6200.00']);

    await tp.running.platform.knex('instruments').where({ symbol: 'CARBON-2024' }).update({ buyer_fee_bps: 30 });
    await tp.restart();

    const sell = await submit(tp, seller.token, { symbol: 'CARBON-2024', side: 'sell', price: '62.00', quantity: '100' });
    expect(sell.statusCode, sell.body).toBe(201);
    await waitAllSettled(tp);
    // Either the order trades at the fee it was placed (and reserved) under — 6,200.00, no more —
    // or a fee change cancels resting buys and the buyer has everything back.
    expect([['3800.00', '0.00'], ['10000.00', '0.00']]).toContainEqual(await cash(tp, buyer.token));
    // And a second sell works as well (the engine is not stuck on the order).
    expect((await submit(tp, seller.token, { symbol: 'CARBON-2024', side: 'sell', price: '63.00', quantity: '1' })).statusCode).toBe(201);
    await expectLedgerReconciles(tp);
  });
});
