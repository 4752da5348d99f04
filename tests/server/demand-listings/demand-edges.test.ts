import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { cash, expectLedgerReconciles, expectRefusal, holding } from '../support/market.ts';
import { advanceTo, after, allowShortListings, ok, pinClock } from '../listings/listing-support.ts';
import { dec } from '../../../server/shared/decimal.ts';
import { bidDown, demand, demandWindows, postDemand, registerSeller } from './demand-support.ts';

// Demand listings at their edges: simultaneous bids, withdrawal, a suspended buyer, the API docs.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('demand_edges', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  pinClock(tp, new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3_600_000));
  await allowShortListings(tp, 'CARBON-2024');
});
afterAll(async () => {
  await tp?.close();
});

const carbon = (start: Date) => ({
  symbol: 'CARBON-2024',
  title: '林业碳汇需求挂牌',
  quantity: '100',
  startPrice: '70.00',
  floorPrice: '62.00',
  decrement: '1.00',
  marginPct: '10',
  antiSnipingSeconds: 0,
  ...demandWindows(start),
});

async function sellers(n: number) {
  const list = await Promise.all(Array.from({ length: n }, () => tp.participant('enterprise')));
  for (const s of list) {
    await tp.deposit(s.id, '1000.00');
    await tp.lot(s.id, 'CARBON-2024', '100');
  }
  return list;
}

describe('demand listings at the edges', () => {
  it('two sellers bidding the same price at once: one leads, the other is told to go lower, only the leader’s quantity is locked', async () => {
    const start = tp.running.platform.clock.now();
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '10000.00');
    const [a, b] = await sellers(2);
    const listing = await postDemand(tp, buyer.token, carbon(start));
    await advanceTo(tp, after(start, 1));
    await Promise.all([registerSeller(tp, a!.token, listing.id), registerSeller(tp, b!.token, listing.id)]);
    await advanceTo(tp, after(start, 30));
    const answers = await Promise.all([a, b].map((s) => tp.api('POST', `/api/demand-listings/${listing.id}/bids`, s!.token, { price: '69.00' })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 422]);
    expectRefusal(answers.find((r) => r.statusCode === 422)!, 422, 'BID_NOT_LOWER');
    const [winner, loser] = answers[0]!.statusCode === 201 ? [a!, b!] : [b!, a!];
    expect(await holding(tp, winner.token, 'CARBON-2024')).toEqual(['0', '100']);
    expect(await holding(tp, loser.token, 'CARBON-2024')).toEqual(['100', '0']);
    expect(await tp.running.platform.knex('demand_bids').where({ demand_listing_id: listing.id }).count<{ count: string }[]>('id')).toEqual([{ count: '1' }]);
    await advanceTo(tp, after(start, 121));
    expect(await demand(tp, buyer.token, listing.id)).toMatchObject({ status: 'awarded', clearingPrice: '69.00' });
    await expectLedgerReconciles(tp);
  });

  it('the buyer may withdraw before registration opens, and only then; the lock comes back to the fen', async () => {
    const start = tp.running.platform.clock.now();
    const buyer = await tp.participant('government', '南丰县自然资源局');
    const other = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '20000.00');
    const late = await postDemand(tp, buyer.token, carbon(start));
    const early = await postDemand(tp, buyer.token, { ...carbon(start), ...demandWindows(start, { reg: [10, 60], bid: [30, 120] }) });
    expect(await cash(tp, buyer.token)).toEqual(['6000.00', '14000.00']);
    await advanceTo(tp, after(start, 1));
    expectRefusal(await tp.api('POST', `/api/demand-listings/${early.id}/cancel`, other.token, { reason: '不需要了' }), 403, 'NOT_THE_BUYER');
    expectRefusal(await tp.api('POST', `/api/demand-listings/${late.id}/cancel`, buyer.token, { reason: '不需要了' }), 403, 'CANCEL_NOT_ALLOWED');
    const cancelled = ok<{ status: string; resultReason: string }>(await tp.api('POST', `/api/demand-listings/${early.id}/cancel`, buyer.token, { reason: '项目调整' }), 200, 'cancel');
    expect(cancelled).toMatchObject({ status: 'cancelled', resultReason: '项目调整' });
    // Only the lock of the listing still open stays: 100 × 70.00 = 7,000.00.
    expect(await cash(tp, buyer.token)).toEqual(['13000.00', '7000.00']);
  });

  it('a suspended buyer’s demand listing is withdrawn and every seller margin released', async () => {
    const start = tp.running.platform.clock.now();
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '10000.00');
    const [seller] = await sellers(1);
    const listing = await postDemand(tp, buyer.token, carbon(start));
    await advanceTo(tp, after(start, 1));
    await registerSeller(tp, seller!.token, listing.id);
    await advanceTo(tp, after(start, 30));
    await bidDown(tp, seller!.token, listing.id, '68.00');
    expect(await cash(tp, seller!.token)).toEqual(['300.00', '700.00']);
    ok(await tp.api('POST', `/api/onboarding/participants/${buyer.id}/suspend`, tp.operatorToken, { reason: '违规操作调查' }), 200, 'suspend');
    expect(await demand(tp, tp.regulatorToken, listing.id)).toMatchObject({ status: 'cancelled', resultReason: 'the buyer was suspended', award: null });
    expect(await cash(tp, seller!.token)).toEqual(['1000.00', '0.00']);
    expect(await holding(tp, seller!.token, 'CARBON-2024')).toEqual(['100', '0']);
    await expectLedgerReconciles(tp);
  });

  it('releases locks a crash left without their rows: at the close, and a buyer’s lock without its listing after ten minutes', async () => {
    const start = tp.running.platform.clock.now();
    const { knex, engine } = tp.running.platform;
    const buyer = await tp.participant('enterprise');
    await tp.deposit(buyer.id, '20000.00');
    const [seller] = await sellers(1);
    const listing = await postDemand(tp, buyer.token, carbon(start));
    const actor = async (username: string) => ({ userId: (await knex('users').where({ username }).first<{ id: string }>('id')).id, username });
    // The engine locked a seller's offer, then the node died before the bid row was written.
    const offer = await engine.submit({ kind: 'reserve', actor: await actor(seller!.username), participantId: seller!.id, asset: 'CARBON-2024', amount: dec('100'), purpose: 'demand_offer', reference: `demand:${listing.id}` });
    // … and a buyer's lock whose demand listing was never written.
    const lock = await engine.submit({ kind: 'reserve', actor: await actor(buyer.username), participantId: buyer.id, asset: 'CNY', amount: dec('3000.00'), purpose: 'demand_purchase', reference: 'demand:999999' });
    expect(offer.ok && lock.ok).toBe(true);
    expect(await holding(tp, seller!.token, 'CARBON-2024')).toEqual(['0', '100']);
    expect(await cash(tp, buyer.token)).toEqual(['10000.00', '10000.00']);

    await advanceTo(tp, after(start, 9));
    expect(await cash(tp, buyer.token)).toEqual(['10000.00', '10000.00']);
    await advanceTo(tp, after(start, 11));
    expect(await cash(tp, buyer.token)).toEqual(['13000.00', '7000.00']);
    await advanceTo(tp, after(start, 121));
    expect(await demand(tp, buyer.token, listing.id)).toMatchObject({ status: 'failed' });
    expect(await holding(tp, seller!.token, 'CARBON-2024')).toEqual(['100', '0']);
    expect(await cash(tp, buyer.token)).toEqual(['20000.00', '0.00']);
    await expectLedgerReconciles(tp);
  });

  it('documents every endpoint in the OpenAPI description', async () => {
    const spec = (await tp.api('GET', '/docs/json')).json<{ paths: Record<string, unknown> }>();
    for (const path of ['/api/demand-listings', '/api/demand-listings/{id}', '/api/demand-listings/{id}/bids', '/api/demand-listings/{id}/registrations', '/api/demand-listings/{id}/cancel', '/api/public/demand-listings']) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
  });
});
