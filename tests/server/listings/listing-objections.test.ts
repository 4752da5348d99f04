import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { cash, count, expectLedgerReconciles, expectRefusal, holding } from '../support/market.ts';
import { advanceTo, after, allowShortListings, anHourAhead, auditActions, bid, createListing, listing, ok, pinClock, register, shortWindows } from './listing-support.ts';

// Issue 15 item 2: objections (异议) during publicity. Any participant may object until bidding
// opens; bidding is suspended until the operator answers; dismissed, the listing proceeds with
// its bidding time intact; upheld, it is withdrawn and every fen and every unit comes back. The
// objection and its answer are public, the objector's name is not.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('listing-objections', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  pinClock(tp, anHourAhead());
  await allowShortListings(tp, 'FARMLAND-QTY');
});
afterAll(async () => {
  await tp?.close();
});

interface Objection {
  id: string;
  status: string;
  reason: string;
  mine: boolean;
  objector: { name: string } | null;
  decision: { outcome: string; reason: string } | null;
}
type WithRules = { status: string; biddingOpen: boolean; biddingClosesAt: string; resultReason: string | null; rules: { objections: Objection[]; objectionPending: boolean } };
const view = async (token: string, id: string) => (await listing(tp, token, id)) as unknown as WithRules;

let sales = 0;
async function sale(title: string) {
  sales++;
  const start = tp.running.platform.clock.now();
  const seller = await tp.participant('government', `南丰县自然资源局${sales}`, '抚州市南丰县');
  const [a, b, objector] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise'), tp.participant('government', `永修县自然资源局${sales}`, '九江市永修县')]);
  await tp.lot(seller.id, 'FARMLAND-QTY', '4.00');
  await Promise.all([tp.deposit(a.id, '2000000.00'), tp.deposit(b.id, '2000000.00')]);
  const created = await createListing(tp, seller.token, { symbol: 'FARMLAND-QTY', title, quantity: '2.00', startPrice: '368500.00', bidIncrement: '1000.00', marginPct: '10', ...shortWindows(start) });
  return { start, seller, a, b, objector, id: created.id };
}

describe('an objection during publicity', () => {
  it('dismissed: bidding waits for the answer, then proceeds with its full time; public without the objector', async () => {
    const s = await sale('南丰县耕地指标挂牌（异议驳回）');
    await advanceTo(tp, after(s.start, 1));
    await register(tp, s.a.token, s.id);
    expectRefusal(await tp.api('POST', `/api/listings/${s.id}/objections`, s.objector.token, { reason: '短' }), 400, 'VALIDATION_FAILED');
    const filed = ok<WithRules>(await tp.api('POST', `/api/listings/${s.id}/objections`, s.objector.token, { reason: '指标来源地块权属存在争议，请核实验收文号' }), 201, 'object');
    expect(filed.rules).toMatchObject({ objectionPending: true, objections: [{ status: 'pending', mine: true, objector: null }] });
    const objectionId = filed.rules.objections[0]!.id;

    // The public sees the objection and no name; staff see who objected.
    const notice = await tp.api('GET', `/api/public/listings/${s.id}`, null);
    expect(notice.json()).toMatchObject({ announcement: { rules: { objectionPending: true, objections: [{ status: 'pending', reason: '指标来源地块权属存在争议，请核实验收文号' }] } } });
    expect(notice.body).not.toContain('永修县自然资源局');
    expect((await view(tp.operatorToken, s.id)).rules.objections[0]!.objector).toEqual({ id: s.objector.id, name: '永修县自然资源局1' });
    const desk = ok<Array<{ id: string; listingTitle: string }>>(await tp.api('GET', '/api/admin/listing-objections', tp.operatorToken), 200, 'desk');
    expect(desk.map((d) => d.id)).toContain(objectionId);

    // Bidding time arrives while the objection is undecided: no bids, and no close.
    await advanceTo(tp, after(s.start, 40));
    expect((await view(s.a.token, s.id)).biddingOpen).toBe(false);
    expectRefusal(await tp.api('POST', `/api/listings/${s.id}/bids`, s.a.token, { price: '368500.00' }), 409, 'OBJECTION_PENDING');

    expectRefusal(await tp.api('POST', `/api/admin/listing-objections/${objectionId}/decision`, s.a.token, { outcome: 'dismissed', reason: '经核实权属清晰' }), 403, 'FORBIDDEN_ROLE');
    const dismissed = ok<WithRules>(
      await tp.api('POST', `/api/admin/listing-objections/${objectionId}/decision`, tp.operatorToken, { outcome: 'dismissed', reason: '经核实，地块权属清晰，验收文号有效' }),
      200,
      'dismiss',
    );
    // Ten minutes of bidding were lost to the objection: the close moves by as much.
    expect(dismissed).toMatchObject({ status: 'open', biddingOpen: true, biddingClosesAt: after(s.start, 130).toISOString() });
    expect(dismissed.rules.objections[0]).toMatchObject({ status: 'dismissed', decision: { outcome: 'dismissed', reason: '经核实，地块权属清晰，验收文号有效' } });
    expectRefusal(await tp.api('POST', `/api/admin/listing-objections/${objectionId}/decision`, tp.operatorToken, { outcome: 'upheld', reason: '改判' }), 409, 'OBJECTION_DECIDED');
    await bid(tp, s.a.token, s.id, '368500.00');
    await advanceTo(tp, after(s.start, 131));
    expect((await view(s.a.token, s.id)).status).toBe('awarded');
    expect(await auditActions(tp, `listing:${s.id}`)).toEqual(expect.arrayContaining(['listing.object', 'listing.objectionDecided', 'listing.extend']));
  });

  it('upheld: the listing is withdrawn, the seller’s quantity and every margin released exactly', async () => {
    const s = await sale('南丰县耕地指标挂牌（异议成立）');
    await advanceTo(tp, after(s.start, 1));
    await register(tp, s.a.token, s.id);
    await register(tp, s.b.token, s.id);
    expect(await cash(tp, s.a.token)).toEqual(['1926300.00', '73700.00']);
    expect(await holding(tp, s.seller.token, 'FARMLAND-QTY')).toEqual(['2.00', '2.00']);
    const filed = ok<WithRules>(await tp.api('POST', `/api/listings/${s.id}/objections`, s.b.token, { reason: '挂牌数量与备案数量不一致' }), 201, 'object');
    const upheld = ok<WithRules>(
      await tp.api('POST', `/api/admin/listing-objections/${filed.rules.objections[0]!.id}/decision`, tp.operatorToken, { outcome: 'upheld', reason: '经核实，挂牌数量有误，终止本次挂牌' }),
      200,
      'uphold',
    );
    expect(upheld).toMatchObject({ status: 'cancelled', resultReason: 'objection upheld: 经核实，挂牌数量有误，终止本次挂牌' });
    expect(await cash(tp, s.a.token)).toEqual(['2000000.00', '0.00']);
    expect(await cash(tp, s.b.token)).toEqual(['2000000.00', '0.00']);
    expect(await holding(tp, s.seller.token, 'FARMLAND-QTY')).toEqual(['4.00', '0.00']);
    const notice = ok<{ result: { outcome: string; rules: { objections: Objection[] } } }>(await tp.api('GET', `/api/public/listings/${s.id}`, null), 200, 'notice');
    expect(notice.result).toMatchObject({ outcome: 'cancelled', rules: { objections: [{ status: 'upheld' }] } });
    await expectLedgerReconciles(tp);
  });

  it('after publicity is refused and changes nothing', async () => {
    const s = await sale('南丰县耕地指标挂牌（公示期后）');
    await advanceTo(tp, after(s.start, 30));
    const before = { objections: await count(tp, 'listing_objections'), audit: await count(tp, 'audit_log'), listing: await view(s.a.token, s.id) };
    const late = await tp.api('POST', `/api/listings/${s.id}/objections`, s.objector.token, { reason: '公示期后提出的异议理由' });
    expectRefusal(late, 409, 'OBJECTION_CLOSED');
    expect({ objections: await count(tp, 'listing_objections'), audit: await count(tp, 'audit_log'), listing: await view(s.a.token, s.id) }).toEqual(before);
    expectRefusal(await tp.api('POST', `/api/listings/${s.id}/objections`, null, { reason: '未登录的异议理由' }), 401, 'TOKEN_MISSING');
  });
});
