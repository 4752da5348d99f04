import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { expectRefusal } from '../support/market.ts';
import { advanceTo, bid, createListing, listing, ok, pinClock, register } from './listing-support.ts';

// Issue 15 item 1: bidding opens only after the instrument's publicity (公示) of N working days,
// default 5, counted on the State Council calendar. Around National Day 2026: Tue 29 September,
// then 30 September, the holiday 1–7 October, Thu 8 and Fri 9, Saturday 10 October (a 调休
// working day), Sunday off: the fifth working day is Monday 12 October.

const beijing = (local: string) => new Date(`${local}+08:00`);
let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('listing-publicity', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  pinClock(tp, beijing('2026-09-29T10:00:00'));
});
afterAll(async () => {
  await tp?.close();
});

describe('publicity before bidding', () => {
  it('lasts five working days by default, across a holiday and an adjusted Saturday', async () => {
    const seller = await tp.participant('government', '婺源县自然资源局', '上饶市婺源县');
    const [a, objector] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'FARMLAND-QTY', '2.00');
    await tp.deposit(a.id, '1000000.00');
    const body = {
      symbol: 'FARMLAND-QTY',
      title: '婺源县耕地指标挂牌（国庆前公示）',
      quantity: '1.00',
      startPrice: '368500.00',
      bidIncrement: '1000.00',
      marginPct: '10',
      registrationOpensAt: beijing('2026-09-29T10:00:00').toISOString(),
      registrationClosesAt: beijing('2026-10-12T10:00:00').toISOString(),
      biddingClosesAt: beijing('2026-10-13T10:00:00').toISOString(),
    };
    const early = await tp.api('POST', '/api/listings', seller.token, { ...body, biddingOpensAt: beijing('2026-10-11T10:00:00').toISOString() });
    expectRefusal(early, 422, 'PUBLICITY_TOO_SHORT');
    expect(early.json<{ params: Record<string, string> }>().params).toEqual({ workingDays: '5', earliestOpen: '2026-10-12 10:00' });
    const created = await createListing(tp, seller.token, { ...body, biddingOpensAt: beijing('2026-10-12T10:00:00').toISOString() });
    await register(tp, a.token, created.id);

    // An objection on the adjusted Saturday is still within publicity.
    await advanceTo(tp, beijing('2026-10-10T15:00:00'));
    const filed = ok<{ rules: { objections: Array<{ id: string }> } }>(await tp.api('POST', `/api/listings/${created.id}/objections`, objector.token, { reason: '请核实该指标的验收文号' }), 201, 'object');
    ok(await tp.api('POST', `/api/admin/listing-objections/${filed.rules.objections[0]!.id}/decision`, tp.operatorToken, { outcome: 'dismissed', reason: '验收文号经核实有效' }), 200, 'dismiss');

    await advanceTo(tp, beijing('2026-10-12T09:59:00'));
    expect((await listing(tp, a.token, created.id)).phase).toBe('registration');
    expectRefusal(await tp.api('POST', `/api/listings/${created.id}/bids`, a.token, { price: '368500.00' }), 409, 'BIDDING_CLOSED');
    await advanceTo(tp, beijing('2026-10-12T10:00:00'));
    await bid(tp, a.token, created.id, '368500.00');
    expectRefusal(await tp.api('POST', `/api/listings/${created.id}/objections`, objector.token, { reason: '竞价开始后的异议' }), 409, 'OBJECTION_CLOSED');
  });
});
