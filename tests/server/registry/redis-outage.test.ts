import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { privateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { reconcile } from '../../../server/ledger/reconciliation.ts';

let redis: PrivateRedis;
let tp: TestPlatform;

beforeAll(async () => {
  redis = await privateRedis();
  await redis.start();
  tp = await startTestPlatform('redis-outage', { REDIS_URL: redis.url, OUTBOX_SWEEP_MS: 100, SETTLEMENT_REQUEUE_MS: 500 });
});
afterAll(async () => {
  await redis.start();
  await tp?.close();
  await redis.stop();
});

describe('settlement survives a Redis outage', () => {
  it('keeps trading while Redis is down and settles every trade once it is back, even though Redis lost its queue', async () => {
    const seller = await tp.participant('enterprise');
    const buyer = await tp.participant('enterprise');
    await tp.lot(seller.id, 'CARBON-2024', '1000');
    await tp.deposit(buyer.id, '100000.00');
    expect((await tp.api('POST', '/api/orders', seller.token, { symbol: 'CARBON-2024', side: 'sell', type: 'limit', price: '62.00', quantity: '1000' })).statusCode).toBe(201);
    const buy = async () => {
      const res = await tp.api('POST', '/api/orders', buyer.token, { symbol: 'CARBON-2024', side: 'buy', type: 'limit', price: '62.00', quantity: '10', timeInForce: 'IOC' });
      expect(res.statusCode).toBe(201);
      return res.json<{ fills: Array<{ tradeId: string }> }>().fills[0]!.tradeId;
    };
    const status = async (tradeId: string) => (await tp.api('GET', `/api/settlements/${tradeId}`, buyer.token)).json<{ status: string }>().status;

    const before = await buy();
    await eventually(async () => (await status(before)) === 'settled', 'settlement before the outage');

    await redis.stop();
    const during = [await buy(), await buy(), await buy()];
    for (const id of during) expect(await status(id)).toBe('pending');

    await redis.start(); // a fresh, empty Redis: whatever it held is gone
    for (const id of during) await eventually(async () => (await status(id)) === 'settled', `trade ${id} settled after the outage`, 20_000);

    const account = (await tp.api('GET', '/api/account', buyer.token)).json<{ cash: { available: string; locked: string }; holdings: Array<{ symbol: string; available: string }> }>();
    expect(account.cash).toMatchObject({ available: '97520.00', locked: '0.00' });
    expect(account.holdings.find((h) => h.symbol === 'CARBON-2024')!.available).toBe('40');
    expect((await reconcile(tp.running.platform.knex)).checks.filter((c) => !c.ok)).toEqual([]);
  });
});
