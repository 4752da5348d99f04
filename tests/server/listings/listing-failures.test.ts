import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { cash, expectLedgerReconciles, expectRefusal, holding } from '../support/market.ts';
import { addWorkingDays } from '../../../contract/listing-windows.ts';
import { advanceTo, after, allowShortListings, anHourAhead, bid, createListing, listing, ok, pinClock, put, register, shortWindows } from './listing-support.ts';

// Issue 15 items 4 and 5: failed listings (流拍) — no bid, too few bidders, reserve not met —
// give every margin back to the fen and are published; the seller may relist once, lowering the
// start price by at most the instrument's step and never below the guidance price; results stay
// on the public board for the instrument's working days and in the history after.

let tp: TestPlatform;
const SYMBOL = 'FARMLAND-QTY';

beforeAll(async () => {
  tp = await startTestPlatform('listing-failures', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  pinClock(tp, anHourAhead());
  await allowShortListings(tp, SYMBOL);
  ok(await put(tp, `/api/admin/instruments/${SYMBOL}/guidance-price`, tp.operatorToken, { guidancePrice: '300000.00' }), 200, 'guidance');
});
afterAll(async () => {
  await tp?.close();
});

type WithRules = { id: string; status: string; resultReason: string | null; startPrice: string; rules: { failureCode: string | null; minBidders: number; hasReserve: boolean; reservePrice: string | null; relistOf: string | null; relistedAs: string | null } };
const view = async (token: string, id: string) => (await listing(tp, token, id)) as unknown as WithRules;

let n = 0;
async function failedSale(terms: Record<string, unknown>, act: (s: { a: { token: string }; b: { token: string }; id: string }) => Promise<void>) {
  n++;
  const start = tp.running.platform.clock.now();
  const seller = await tp.participant('government', `婺源县自然资源局${n}`, '上饶市婺源县');
  const [a, b] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
  await tp.lot(seller.id, SYMBOL, '3.00');
  await Promise.all([tp.deposit(a.id, '1000000.00'), tp.deposit(b.id, '1000000.00')]);
  const created = await createListing(tp, seller.token, { symbol: SYMBOL, title: `婺源县耕地指标挂牌${n}`, quantity: '1.00', startPrice: '400000.00', bidIncrement: '1000.00', marginPct: '10', ...shortWindows(start), ...terms });
  await advanceTo(tp, after(start, 1));
  await register(tp, a.token, created.id);
  await register(tp, b.token, created.id);
  await advanceTo(tp, after(start, 30));
  await act({ a, b, id: created.id });
  await advanceTo(tp, after(start, 121));
  const failed = await view(seller.token, created.id);
  // Every margin and every bid's locked cost back to the fen, the quantity back to the seller.
  expect(await cash(tp, a.token)).toEqual(['1000000.00', '0.00']);
  expect(await cash(tp, b.token)).toEqual(['1000000.00', '0.00']);
  expect(await holding(tp, seller.token, SYMBOL)).toEqual(['3.00', '0.00']);
  return { seller, a, b, failed, start };
}

describe('a listing fails', () => {
  it('with no bid', async () => {
    const { failed } = await failedSale({}, async () => {});
    expect(failed).toMatchObject({ status: 'failed', rules: { failureCode: 'no_bid' } });
  });

  it('with fewer registered bidders than its minimum, though one bid', async () => {
    const { failed } = await failedSale({ minBidders: 3 }, async (s) => {
      await bid(tp, s.a.token, s.id, '420000.00');
    });
    expect(failed).toMatchObject({ status: 'failed', rules: { failureCode: 'too_few_bidders', minBidders: 3 }, resultReason: '2 registered bidders, fewer than the 3 the listing requires' });
  });

  it('with a best bid short of the reserve, which bidders never see', async () => {
    const { failed } = await failedSale({ reservePrice: '450000.00' }, async (s) => {
      expect((await view(s.a.token, s.id)).rules).toMatchObject({ hasReserve: true, reservePrice: null });
      await bid(tp, s.a.token, s.id, '420000.00');
      await bid(tp, s.b.token, s.id, '430000.00');
    });
    expect(failed.rules).toMatchObject({ failureCode: 'reserve_not_met', reservePrice: '450000.00' });
    const board = ok<{ results: Array<{ id: string; outcome: string; failureCode: string; price: string | null; rules: Record<string, unknown> }> }>(await tp.api('GET', '/api/public/listings', null), 200, 'board');
    expect(board.results.find((r) => r.id === failed.id)).toMatchObject({ outcome: 'failed', failureCode: 'reserve_not_met', price: null, rules: { hasReserve: true } });
    expect(JSON.stringify(board)).not.toContain('450000');
    await expectLedgerReconciles(tp);
  });
});

describe('a failed listing', () => {
  it('is relisted once, at most the step lower and never below the guidance price', async () => {
    const { seller, failed, a } = await failedSale({}, async () => {});
    ok(await put(tp, `/api/admin/instruments/${SYMBOL}/listing-settings`, tp.operatorToken, { relistStepPct: '10', resultsWorkingDays: 10 }), 200, 'settings');
    const start = tp.running.platform.clock.now();
    const body = { ...shortWindows(start), startPrice: '359999.00' };
    const url = `/api/listings/${failed.id}/relist`;

    const tooLow = await tp.api('POST', url, seller.token, body);
    expectRefusal(tooLow, 422, 'RELIST_STEP_TOO_LARGE');
    expect(tooLow.json<{ params: Record<string, string> }>().params).toEqual({ lowest: '360000.00', stepPct: '10', previous: '400000.00' });
    ok(await put(tp, `/api/admin/instruments/${SYMBOL}/guidance-price`, tp.operatorToken, { guidancePrice: '365000.00' }), 200, 'raise guidance');
    const belowGuidance = await tp.api('POST', url, seller.token, { ...body, startPrice: '360000.00' });
    expectRefusal(belowGuidance, 422, 'BELOW_GUIDANCE_PRICE');
    expect(belowGuidance.json<{ params: Record<string, string> }>().params).toMatchObject({ guidance: '365000.00' });
    expectRefusal(await tp.api('POST', url, a.token, { ...body, startPrice: '380000.00' }), 403, 'NOT_THE_SELLER');
    // Refusals lock nothing.
    expect(await holding(tp, seller.token, SYMBOL)).toEqual(['3.00', '0.00']);
    ok(await put(tp, `/api/admin/instruments/${SYMBOL}/guidance-price`, tp.operatorToken, { guidancePrice: '300000.00' }), 200, 'guidance back');

    const relisted = ok<WithRules>(await tp.api('POST', url, seller.token, { ...body, startPrice: '360000.00' }), 201, 'relist');
    expect(relisted).toMatchObject({ status: 'open', startPrice: '360000.00', rules: { relistOf: failed.id } });
    expect((await view(seller.token, failed.id)).rules.relistedAs).toBe(relisted.id);
    expect(await holding(tp, seller.token, SYMBOL)).toEqual(['2.00', '1.00']);
    expectRefusal(await tp.api('POST', url, seller.token, { ...body, startPrice: '370000.00' }), 409, 'ALREADY_RELISTED');
    expectRefusal(await tp.api('POST', `/api/listings/${relisted.id}/relist`, seller.token, body), 409, 'LISTING_NOT_FAILED');
    expect(await holding(tp, seller.token, SYMBOL)).toEqual(['2.00', '1.00']);
  });

  it('leaves the results board after its working days and stays in the history', async () => {
    const { failed } = await failedSale({}, async () => {});
    ok(await put(tp, `/api/admin/instruments/${SYMBOL}/listing-settings`, tp.operatorToken, { relistStepPct: '10', resultsWorkingDays: 1 }), 200, 'settings');
    const onBoard = async () => ok<{ results: Array<{ id: string; onBoardUntil: string }> }>(await tp.api('GET', '/api/public/listings', null), 200, 'board').results.find((r) => r.id === failed.id);
    const closedAt = new Date((await view(tp.operatorToken, failed.id) as unknown as { closedAt: string }).closedAt);
    expect(await onBoard()).toMatchObject({ onBoardUntil: addWorkingDays(closedAt, 1).toISOString() });
    await advanceTo(tp, new Date(addWorkingDays(closedAt, 1).getTime() + 60_000));
    expect(await onBoard()).toBeUndefined();
    const history = ok<Array<{ id: string }>>(await tp.api('GET', '/api/public/listings/results?limit=200', null), 200, 'history');
    expect(history.map((r) => r.id)).toContain(failed.id);
  });
});
