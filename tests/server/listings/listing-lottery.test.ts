import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { cash, count, expectLedgerReconciles, expectRefusal, holding, waitAllSettled } from '../support/market.ts';
import { advanceTo, after, allowShortListings, anHourAhead, bid, createListing, listing, ok, pinClock, put, register, shortWindows } from './listing-support.ts';

// Issue 15 item 3: a price cap (最高限价) with a verifiable lottery (摇号). A bid above the cap is
// refused; the first bid at it stops ordinary bidding; registered bidders may accept the cap for
// a window; the operator reveals the seed committed before bidding opened, and the winner is the
// one SHA-256(seed|listing id|sorted bidder numbers) mod n names — recomputed here with node:crypto.

let tp: TestPlatform;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const SEED = 'jiangxi-draw-2026-12-aX9q';

beforeAll(async () => {
  tp = await startTestPlatform('listing-lottery', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  pinClock(tp, anHourAhead());
  await allowShortListings(tp, 'LAND-LINKAGE');
});
afterAll(async () => {
  await tp?.close();
});

interface Rules {
  priceCap: string | null;
  capStage: string;
  seedCommitment: string | null;
  capEntrants: number | null;
  acceptedCap: boolean;
  lottery: null | { seed: string; entrants: string[]; digest: string; winnerIndex: number; winner: string; message: string; recipe: string };
}

const rulesOf = async (token: string, id: string) => (await listing(tp, token, id)) as unknown as { status: string; biddingOpen: boolean; minimumBid: string | null; rules: Rules };

describe('a capped open listing', () => {
  it('refuses bids above the cap, stops at it, and awards the lottery winner the formula names', async () => {
    const start = tp.running.platform.clock.now();
    const seller = await tp.participant('government', '寻乌县自然资源局', '赣州市寻乌县');
    const [a, b, c] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'LAND-LINKAGE', '5.00');
    await Promise.all([a, b, c].map((p) => tp.deposit(p.id, '1000000.00')));
    const body = { symbol: 'LAND-LINKAGE', title: '寻乌县增减挂钩节余指标挂牌（限价摇号）', quantity: '1.00', startPrice: '280000.00', bidIncrement: '5000.00', marginPct: '10', ...shortWindows(start) };

    // Terms that cannot be used are refused and lock nothing.
    expectRefusal(await tp.api('POST', '/api/listings', seller.token, { ...body, capPct: '150' }), 400, 'CAP_WINDOW_REQUIRED');
    expectRefusal(await tp.api('POST', '/api/listings', seller.token, { ...body, priceCap: '280000.00', capWindowMinutes: 10 }), 422, 'CAP_NOT_ABOVE_START');
    expectRefusal(await tp.api('POST', '/api/listings', seller.token, { ...body, mode: 'sealed', bidIncrement: undefined, capPct: '150', capWindowMinutes: 10 }), 400, 'CAP_NOT_ALLOWED');
    expect(await holding(tp, seller.token, 'LAND-LINKAGE')).toEqual(['5.00', '0.00']);

    // 107.5% of 280,000.00 = 301,000.00; a second capped listing never gets its commitment.
    const capped = await createListing(tp, seller.token, { ...body, capPct: '107.5', capWindowMinutes: 10 });
    const uncommitted = await createListing(tp, seller.token, { ...body, priceCap: '300000.00', capWindowMinutes: 10 });
    expect((await rulesOf(a.token, capped.id)).rules).toMatchObject({ priceCap: '301000.00', capStage: 'open', seedCommitment: null });

    const commitment = sha256(SEED);
    expectRefusal(await put(tp, `/api/listings/${capped.id}/seed-commitment`, a.token, { commitment }), 403, 'FORBIDDEN_ROLE');
    ok(await put(tp, `/api/listings/${capped.id}/seed-commitment`, tp.operatorToken, { commitment }), 200, 'commit');
    expectRefusal(await put(tp, `/api/listings/${capped.id}/seed-commitment`, tp.operatorToken, { commitment: sha256('another') }), 409, 'COMMITMENT_ALREADY_SET');
    const announced = ok<{ announcement: { rules: { seedCommitment: string; priceCap: string } } }>(await tp.api('GET', `/api/public/listings/${capped.id}`, null), 200, 'public notice');
    expect(announced.announcement.rules).toMatchObject({ seedCommitment: commitment, priceCap: '301000.00' });

    await advanceTo(tp, after(start, 1));
    const [regA, regB, regC] = [await register(tp, a.token, capped.id), await register(tp, b.token, capped.id), await register(tp, c.token, capped.id)];
    await register(tp, a.token, uncommitted.id);
    await advanceTo(tp, after(start, 30));
    expectRefusal(await tp.api('POST', `/api/listings/${uncommitted.id}/bids`, a.token, { price: '280000.00' }), 409, 'CAP_COMMITMENT_MISSING');
    expectRefusal(await put(tp, `/api/listings/${uncommitted.id}/seed-commitment`, tp.operatorToken, { commitment }), 409, 'COMMITMENT_TOO_LATE');

    await bid(tp, a.token, capped.id, '290000.00');
    // Above the cap: refused, and nothing moves.
    const before = { cash: await Promise.all([a, b, c].map((p) => cash(tp, p.token))), bids: await count(tp, 'listing_bids'), audit: await count(tp, 'audit_log') };
    const above = await tp.api('POST', `/api/listings/${capped.id}/bids`, b.token, { price: '301500.00' });
    expectRefusal(above, 422, 'BID_ABOVE_CAP');
    expect(above.json<{ params: Record<string, string> }>().params).toEqual({ cap: '301000.00' });
    expect({ cash: await Promise.all([a, b, c].map((p) => cash(tp, p.token))), bids: await count(tp, 'listing_bids'), audit: await count(tp, 'audit_log') }).toEqual(before);
    // Short of the increment is refused as before; the cap itself is always a valid next bid.
    expectRefusal(await tp.api('POST', `/api/listings/${capped.id}/bids`, b.token, { price: '294000.00' }), 422, 'BID_TOO_LOW');
    await bid(tp, b.token, capped.id, '295000.00');
    expect((await rulesOf(c.token, capped.id)).minimumBid).toBe('300000.00');
    await bid(tp, a.token, capped.id, '300000.00');
    expect((await rulesOf(c.token, capped.id)).minimumBid).toBe('301000.00');

    // B bids the cap: ordinary bidding stops; the acceptance window runs 10 minutes.
    await advanceTo(tp, after(start, 32));
    await bid(tp, b.token, capped.id, '301000.00');
    const reached = await rulesOf(c.token, capped.id);
    expect(reached).toMatchObject({ biddingOpen: false, rules: { capStage: 'acceptance', capEntrants: 1, acceptedCap: false } });
    expectRefusal(await tp.api('POST', `/api/listings/${capped.id}/bids`, a.token, { price: '301000.00' }), 409, 'CAP_REACHED');
    expectRefusal(await tp.api('POST', `/api/listings/${capped.id}/cap-acceptances`, b.token), 409, 'CAP_ALREADY_ACCEPTED');
    ok(await tp.api('POST', `/api/listings/${capped.id}/cap-acceptances`, c.token), 201, 'c accepts');
    expect((await rulesOf(c.token, capped.id)).rules).toMatchObject({ acceptedCap: true, capEntrants: 2 });
    // Accepting locks the full cost at the cap, as a leading bid does; A (outbid) holds its two margins only.
    expect(await cash(tp, c.token)).toEqual(await cash(tp, b.token));
    expect((await cash(tp, a.token))[1]).toBe('56000.00');

    expectRefusal(await tp.api('POST', `/api/listings/${capped.id}/draw`, tp.operatorToken, { seed: SEED }), 409, 'CAP_ACCEPTANCE_OPEN');
    await advanceTo(tp, after(start, 43));
    expectRefusal(await tp.api('POST', `/api/listings/${capped.id}/cap-acceptances`, a.token), 409, 'CAP_ACCEPTANCE_CLOSED');
    expect((await rulesOf(c.token, capped.id)).rules.capStage).toBe('draw');

    // A wrong seed is refused and changes nothing.
    const beforeDraw = { cash: await Promise.all([a, b, c].map((p) => cash(tp, p.token))), lotteries: await count(tp, 'listing_lotteries'), awards: await count(tp, 'listing_awards') };
    const wrong = await tp.api('POST', `/api/listings/${capped.id}/draw`, tp.operatorToken, { seed: 'jiangxi-draw-2026-12-WRONG' });
    expectRefusal(wrong, 422, 'SEED_MISMATCH');
    expect({ cash: await Promise.all([a, b, c].map((p) => cash(tp, p.token))), lotteries: await count(tp, 'listing_lotteries'), awards: await count(tp, 'listing_awards') }).toEqual(beforeDraw);

    const drawn = ok<{ status: string; rules: Rules }>(await tp.api('POST', `/api/listings/${capped.id}/draw`, tp.operatorToken, { seed: SEED }), 200, 'draw');
    // Recompute the winner independently.
    const entrants = [regB.bidderNo, regC.bidderNo].sort((x, y) => x - y).map(String);
    const message = `${SEED}|${capped.id}|${entrants.join(',')}`;
    const index = Number(BigInt(`0x${sha256(message)}`) % BigInt(entrants.length));
    expect(drawn.status).toBe('awarded');
    expect(drawn.rules.lottery).toMatchObject({ seed: SEED, entrants, message, digest: sha256(message), winnerIndex: index, winner: entrants[index] });
    expectRefusal(await tp.api('POST', `/api/listings/${capped.id}/draw`, tp.operatorToken, { seed: SEED }), 409, 'LOTTERY_DRAWN');

    await waitAllSettled(tp);
    const winner = entrants[index] === String(regB.bidderNo) ? b : c;
    const loser = winner === b ? c : b;
    const fee = await tp.api('GET', '/api/instruments').then((r) => r.json<Array<{ symbol: string; buyerFeeBps: number }>>().find((i) => i.symbol === 'LAND-LINKAGE')!.buyerFeeBps);
    const cost = 301000 + Math.round(301000 * fee) / 10000;
    expect(await cash(tp, winner.token)).toEqual([(1000000 - cost).toFixed(2), '0.00']);
    expect(await cash(tp, loser.token)).toEqual(['1000000.00', '0.00']);
    // A keeps only the margin of the other listing, which is still open.
    expect(await cash(tp, a.token)).toEqual(['972000.00', '28000.00']);
    expect(await holding(tp, seller.token, 'LAND-LINKAGE')).toEqual(['3.00', '1.00']);
    void regA;

    // The public notice carries every input of the draw and the winner on the results board.
    const notice = ok<{ result: { outcome: string; price: string; winners: string[]; rules: { lottery: Rules['lottery'] } } }>(await tp.api('GET', `/api/public/listings/${capped.id}`, null), 200, 'public result');
    expect(notice.result).toMatchObject({ outcome: 'awarded', price: '301000.00', rules: { lottery: { message, digest: sha256(message), winner: entrants[index] } } });
    expect(notice.result.winners).toHaveLength(1);
    await expectLedgerReconciles(tp);
  });

  it('fails at the draw when fewer bidders registered than the listing requires, and releases everything', async () => {
    const start = tp.running.platform.clock.now();
    const seller = await tp.participant('government', '南丰县自然资源局', '抚州市南丰县');
    const only = await tp.participant('enterprise');
    await tp.lot(seller.id, 'LAND-LINKAGE', '1.00');
    await tp.deposit(only.id, '500000.00');
    const created = await createListing(tp, seller.token, {
      symbol: 'LAND-LINKAGE', title: '南丰县增减挂钩指标（限价，至少两人）', quantity: '1.00', startPrice: '280000.00', bidIncrement: '5000.00', marginPct: '10',
      priceCap: '290000.00', capWindowMinutes: 5, minBidders: 2, ...shortWindows(start),
    });
    ok(await put(tp, `/api/listings/${created.id}/seed-commitment`, tp.operatorToken, { commitment: sha256(SEED) }), 200, 'commit');
    await advanceTo(tp, after(start, 1));
    await register(tp, only.token, created.id);
    await advanceTo(tp, after(start, 30));
    await bid(tp, only.token, created.id, '290000.00');
    await advanceTo(tp, after(start, 36));
    const failed = ok<{ status: string; rules: Rules & { failureCode: string } }>(await tp.api('POST', `/api/listings/${created.id}/draw`, tp.operatorToken, { seed: SEED }), 200, 'draw');
    expect(failed).toMatchObject({ status: 'failed', rules: { failureCode: 'too_few_bidders', lottery: null } });
    expect(await cash(tp, only.token)).toEqual(['500000.00', '0.00']);
    expect(await holding(tp, seller.token, 'LAND-LINKAGE')).toEqual(['1.00', '0.00']);
  });
});
