import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { cash, holding, place } from './support/market.ts';
import { advanceTo, after, allowShortListings, createListing, pinClock, register } from './listings/listing-support.ts';

// Issue 20, item 12: a participant sees why cash and quantity are locked — which open orders,
// which margins and listed parts — and the lines of each asset add up to the locked balance.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('account_locks', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  pinClock(tp, new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3_600_000));
  await allowShortListings(tp, 'LAND-LINKAGE');
});
afterAll(async () => {
  await tp?.close();
});

interface LockLine {
  asset: string;
  source: string;
  purpose: string | null;
  count: number;
  amount: string;
}

const locks = async (token: string) => {
  const res = await tp.api('GET', '/api/account/locks', token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<LockLine[]>();
};

describe('the locked-balance breakdown', () => {
  it('names open buy and sell orders, a listing margin and a listed part, summing to the locked balances', async () => {
    const start = tp.running.platform.clock.now();
    const county = await tp.participant('government', '南丰县自然资源局', '抚州市南丰县');
    const firm = await tp.participant('enterprise');
    await tp.lot(county.id, 'LAND-LINKAGE', '10.00');
    await tp.deposit(firm.id, '2000000.00');
    expect(await locks(firm.token)).toEqual([]);

    await place(tp, firm.token, { symbol: 'LAND-LINKAGE', side: 'buy', price: '260000.00', quantity: '1.00' });
    await place(tp, firm.token, { symbol: 'LAND-LINKAGE', side: 'buy', price: '261000.00', quantity: '0.50' });
    await place(tp, county.token, { symbol: 'LAND-LINKAGE', side: 'sell', price: '300000.00', quantity: '2.00' });
    const listed = await createListing(tp, county.token, {
      symbol: 'LAND-LINKAGE',
      title: '南丰县城乡建设用地增减挂钩节余指标挂牌',
      quantity: '3.00',
      startPrice: '280000.00',
      bidIncrement: '500.00',
      marginPct: '10',
      registrationOpensAt: after(start, 1).toISOString(),
      registrationClosesAt: after(start, 60).toISOString(),
      biddingOpensAt: after(start, 30).toISOString(),
      biddingClosesAt: after(start, 120).toISOString(),
    });
    await advanceTo(tp, after(start, 1));
    await register(tp, firm.token, listed.id);

    const firmLines = await locks(firm.token);
    const buys = firmLines.find((l) => l.source === 'order_buy')!;
    const margin = firmLines.find((l) => l.purpose === 'listing_margin')!;
    expect(buys).toMatchObject({ asset: 'CNY', count: 2 });
    expect(margin).toMatchObject({ asset: 'CNY', source: 'reservation', count: 1, amount: '84000.00' });
    const [, lockedCash] = await cash(tp, firm.token);
    expect((Number(buys.amount) + Number(margin.amount)).toFixed(2)).toBe(lockedCash);

    const countyLines = await locks(county.token);
    expect(countyLines).toEqual([
      { asset: 'LAND-LINKAGE', source: 'order_sell', purpose: null, count: 1, amount: '2.00' },
      { asset: 'LAND-LINKAGE', source: 'reservation', purpose: 'listing_sale', count: 1, amount: '3.00' },
    ]);
    expect(await holding(tp, county.token, 'LAND-LINKAGE')).toEqual(['5.00', '5.00']);
  });

  it('is for participants only', async () => {
    expect((await tp.api('GET', '/api/account/locks', tp.operatorToken)).statusCode).toBe(403);
    expect((await tp.api('GET', '/api/account/locks', null)).statusCode).toBe(401);
  });
});
