import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { reconcile } from '../../../server/ledger/reconciliation.ts';
import { settleTrade } from '../../../server/settlement/settle-trade.ts';

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('registry');
  // Fees of 3 bps each side and a reference price that makes awkward amounts.
  await tp.running.platform.knex('instruments').where({ symbol: 'FARMLAND-QTY' }).update({ buyer_fee_bps: 3, seller_fee_bps: 3, reference_price: '381234.57' });
  await tp.restart();
});
afterAll(async () => {
  await tp?.close();
});

const order = (token: string, side: 'buy' | 'sell', price: string, quantity: string, symbol = 'FARMLAND-QTY') =>
  tp.api('POST', '/api/orders', token, { symbol, side, type: 'limit', price, quantity, timeInForce: 'GTC' });
const cash = async (token: string) => {
  const { available, locked } = (await tp.api('GET', '/api/account', token)).json<{ cash: { available: string; locked: string } }>().cash;
  return { available, locked };
};
const settled = (tradeId: string, token: string) =>
  eventually(async () => (await tp.api('GET', `/api/settlements/${tradeId}`, token)).json<{ status: string }>().status === 'settled', `trade ${tradeId} settled`);
const lotsOf = async (token: string) => (await tp.api('GET', '/api/account/lots', token)).json<Array<{ id: string; quantity: string; verificationRef: string }>>();

describe('fees and certificates', () => {
  it('charges fees exact to the fen on 0.37 亩 × ¥381,234.57 at 3 bps and certifies the trade', async () => {
    const seller = await tp.participant('government');
    const buyer = await tp.participant('enterprise');
    await tp.lot(seller.id, 'FARMLAND-QTY', '1.00');
    await tp.deposit(buyer.id, '200000.00');
    expect((await order(seller.token, 'sell', '381234.57', '0.37')).statusCode).toBe(201);
    const buy = await order(buyer.token, 'buy', '381234.57', '0.37');
    expect(buy.statusCode).toBe(201);
    // Reserved 37 × (3812.35 + 1.15) = 141,099.50; the fill costs 141,056.79 + 42.32, so 0.39 comes back at once.
    expect(await cash(buyer.token)).toEqual({ available: '58900.89', locked: '141099.11' });
    const tradeId = buy.json<{ fills: Array<{ tradeId: string }> }>().fills[0]!.tradeId;
    await settled(tradeId, buyer.token);
    expect(await cash(buyer.token)).toEqual({ available: '58900.89', locked: '0.00' });
    expect(await cash(seller.token)).toEqual({ available: '141014.47', locked: '0.00' });
    const fees = await tp.running.platform.knex('accounts').where({ system_role: 'fees', asset: 'CNY' }).first<{ available: string }>('available');
    expect(fees!.available).toBe('84.64');

    const certificate = await tp.api('GET', `/api/settlements/${tradeId}/certificate`, buyer.token);
    expect(certificate.statusCode).toBe(200);
    expect(certificate.json()).toMatchObject({ quantity: '0.37', price: '381234.57', amount: '141056.79', buyerFee: '42.32', sellerFee: '42.32', lotsDelivered: [{ quantity: '0.37' }] });
    const pdf = await tp.api('GET', `/api/settlements/${tradeId}/certificate.pdf`, seller.token);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // The CJK font is embedded, not referenced.
    expect(pdf.rawPayload.includes(Buffer.from('NotoSansHans'))).toBe(true);
    const outsider = await tp.participant('enterprise');
    expect((await tp.api('GET', `/api/settlements/${tradeId}/certificate`, outsider.token)).json()).toMatchObject({ code: 'NOT_A_PARTY' });
    expect((await reconcile(tp.running.platform.knex)).checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe('lot lineage', () => {
  it('delivers a seller’s oldest lot first and splits lots across three buyers', async () => {
    const seller = await tp.participant('government');
    await tp.lot(seller.id, 'FARMLAND-QTY', '5.00');
    await tp.lot(seller.id, 'FARMLAND-QTY', '5.00');
    const [lotA, lotB] = await lotsOf(seller.token);
    const buyers = [await tp.participant('enterprise'), await tp.participant('enterprise'), await tp.participant('enterprise')];
    for (const b of buyers) await tp.deposit(b.id, '2000000.00');
    expect((await order(seller.token, 'sell', '380000.00', '9.00')).statusCode).toBe(201);
    const tradeIds: string[] = [];
    for (const [i, qty] of ['2.00', '4.00', '3.00'].entries()) {
      const res = await order(buyers[i]!.token, 'buy', '380000.00', qty);
      tradeIds.push(...res.json<{ fills: Array<{ tradeId: string }> }>().fills.map((f) => f.tradeId));
    }
    for (const id of tradeIds) await settled(id, seller.token);

    expect((await lotsOf(buyers[0]!.token)).map((l) => [l.id, l.quantity])).toEqual([[lotA!.id, '2.00']]);
    expect((await lotsOf(buyers[1]!.token)).map((l) => [l.id, l.quantity]).sort()).toEqual([[lotA!.id, '3.00'], [lotB!.id, '1.00']].sort());
    expect((await lotsOf(buyers[2]!.token)).map((l) => [l.id, l.quantity])).toEqual([[lotB!.id, '3.00']]);
    expect((await lotsOf(seller.token)).map((l) => [l.id, l.quantity])).toEqual([[lotB!.id, '1.00']]);

    const chain = (await tp.api('GET', `/api/lots/${lotA!.id}`, tp.regulatorToken)).json<{ movements: Array<{ kind: string; quantity: string; tradeId: string | null }>; holdings: unknown[] }>();
    expect(chain.movements.map((m) => [m.kind, m.quantity])).toEqual([
      ['issue', '5.00'],
      ['trade', '2.00'],
      ['trade', '3.00'],
    ]);
    expect(chain.holdings).toHaveLength(2);
    expect((await reconcile(tp.running.platform.knex)).checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe('use and retirement', () => {
  it('retires carbon credits once, refuses more than available, and certifies it', async () => {
    const holder = await tp.participant('enterprise');
    await tp.lot(holder.id, 'CARBON-2024', '1000');
    const retire = (quantity: string, requestId: string) =>
      tp.api('POST', '/api/registry/retirements', holder.token, { symbol: 'CARBON-2024', quantity, beneficiary: '江西省2026年全运会', reason: '赛事碳中和', requestId });
    const tooMuch = await retire('1001', 'r-0');
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json()).toMatchObject({ code: 'INSUFFICIENT_HOLDINGS' });

    const first = await retire('400', 'r-1');
    expect(first.statusCode).toBe(201);
    const again = await retire('400', 'r-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const holdings = (await tp.api('GET', '/api/account', holder.token)).json<{ holdings: Array<{ symbol: string; available: string }> }>().holdings;
    expect(holdings.find((h) => h.symbol === 'CARBON-2024')!.available).toBe('600');
    expect(await lotsOf(holder.token)).toMatchObject([{ quantity: '600' }]);

    // Quantity reserved by a sell order cannot be retired.
    expect((await order(holder.token, 'sell', '62.00', '500', 'CARBON-2024')).statusCode).toBe(201);
    expect((await retire('101', 'r-2')).json()).toMatchObject({ code: 'INSUFFICIENT_HOLDINGS' });
    expect((await retire('100', 'r-3')).statusCode).toBe(201);

    const id = first.json<{ id: string; certificateNo: string }>().id;
    const pdf = await tp.api('GET', `/api/registry/actions/${id}/certificate.pdf`, holder.token);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // A land indicator is used against a project, never retired.
    expect((await tp.api('POST', '/api/registry/retirements', holder.token, { symbol: 'WETLAND', quantity: '1.00', beneficiary: '某企业', reason: '抵消排放', requestId: 'r-4' })).json()).toMatchObject({
      code: 'NOT_RETIRABLE',
    });
    expect((await reconcile(tp.running.platform.knex)).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('uses a land indicator against a named project', async () => {
    const county = await tp.participant('government');
    await tp.lot(county.id, 'WETLAND', '10.00');
    const res = await tp.api('POST', '/api/registry/uses', county.token, {
      symbol: 'WETLAND',
      quantity: '2.50',
      projectName: '昌九高铁永修段建设项目',
      approvalRef: '赣发改基础〔2026〕88号',
      requestId: 'use-1',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'use', quantity: '2.50', certificateNo: expect.stringMatching(/^ERU-\d{8}-\d{10}$/) });
    const lot = (await lotsOf(county.token))[0]!;
    const chain = (await tp.api('GET', `/api/lots/${lot.id}`, county.token)).json<{ movements: Array<{ kind: string; quantity: string }> }>();
    expect(chain.movements.map((m) => [m.kind, m.quantity])).toEqual([
      ['issue', '10.00'],
      ['use', '2.50'],
    ]);
  });
});

describe('settlement takes effect once', () => {
  it('settles a trade delivered twice once, and dead-letters then replays a trade that cannot settle', async () => {
    const seller = await tp.participant('enterprise');
    const buyer = await tp.participant('enterprise');
    await tp.lot(seller.id, 'CARBON-2023', '100');
    await tp.deposit(buyer.id, '10000.00');
    const { knex } = tp.running.platform;
    expect((await order(seller.token, 'sell', '58.00', '10', 'CARBON-2023')).statusCode).toBe(201);
    const buy = await order(buyer.token, 'buy', '58.00', '10', 'CARBON-2023');
    const tradeId = buy.json<{ fills: Array<{ tradeId: string }> }>().fills[0]!.tradeId;
    await settled(tradeId, buyer.token);
    expect((await settleTrade(knex, tradeId)).outcome).toBe('already_settled');
    const [a, b] = await Promise.all([settleTrade(knex, tradeId), settleTrade(knex, tradeId)]);
    expect([a.outcome, b.outcome]).toEqual(['already_settled', 'already_settled']);
    expect(await cash(seller.token)).toEqual({ available: '580.00', locked: '0.00' });

    // Break the seller's locked quantity behind the platform's back: settlement must refuse and dead-letter.
    expect((await order(seller.token, 'sell', '58.00', '5', 'CARBON-2023')).statusCode).toBe(201);
    await knex('accounts').where({ participant_id: seller.id, asset: 'CARBON-2023' }).update({ locked: 0, available: knex.raw('available + locked') });
    const second = await order(buyer.token, 'buy', '58.00', '5', 'CARBON-2023');
    const brokenTrade = second.json<{ fills: Array<{ tradeId: string }> }>().fills[0]!.tradeId;
    const letters = await eventually(async () => {
      const list = (await tp.api('GET', '/api/admin/settlements/dead-letters', tp.operatorToken)).json<Array<{ tradeId: string; reason: string }>>();
      return list.find((l) => l.tradeId === brokenTrade);
    }, 'dead letter');
    expect(letters.reason).toMatch(/accounts_non_negative/);
    expect((await tp.api('GET', `/api/settlements/${brokenTrade}`, buyer.token)).json()).toMatchObject({ status: 'failed' });

    // The operator repairs the account, then replays: it settles once.
    await knex('accounts').where({ participant_id: seller.id, asset: 'CARBON-2023' }).update({ locked: 5, available: knex.raw('available - 5') });
    const replay = await tp.api('POST', `/api/admin/settlements/${brokenTrade}/replay`, tp.operatorToken);
    expect(replay.statusCode).toBe(202);
    await settled(brokenTrade, buyer.token);
    expect(await cash(seller.token)).toEqual({ available: '870.00', locked: '0.00' });
    expect((await reconcile(knex)).checks.filter((c) => !c.ok)).toEqual([]);
  });
});
