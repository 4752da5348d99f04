import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { cash, expectLedgerReconciles, expectRefusal, holding, place, waitSettled } from '../support/market.ts';
import { dec } from '../../../server/shared/decimal.ts';
import type { BlockView } from '../../../server/blocks/block-views.ts';
import { ok, pinClock, advanceTo, after, put } from '../listings/listing-support.ts';

// Block trades (issue 8): one side proposes, the other confirms within the time limit; at least
// the instrument's block minimum, within ±30% of the reference price; settles like any trade and
// prints to the tape as a block.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('blocks', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000, BLOCK_CONFIRM_MINUTES: 30 });
  await tp.running.platform.knex('instruments').where({ symbol: 'CARBON-2024' }).update({ buyer_fee_bps: 5, seller_fee_bps: 5 });
  await tp.restart();
  pinClock(tp, new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3_600_000));
});
afterAll(async () => {
  await tp?.close();
});

const propose = async (token: string, body: Record<string, unknown>) => ok<BlockView>(await tp.api('POST', '/api/blocks', token, body), 201, 'propose block');

describe('block trades', () => {
  it('confirmed: settles through DVP, prints to the tape flagged as a block', async () => {
    const [seller, buyer] = await Promise.all([tp.participant('enterprise', '赣州林业碳汇开发有限公司'), tp.participant('enterprise', '南昌电力股份有限公司')]);
    await tp.lot(seller.id, 'CARBON-2024', '150000');
    await tp.deposit(buyer.id, '10000000.00');
    // Counterparties are listed for the proposer.
    const directory = ok<Array<{ id: string; name: string }>>(await tp.api('GET', '/api/blocks/counterparties', seller.token), 200, 'counterparties');
    expect(directory.map((p) => p.id)).toContain(buyer.id);
    expect(directory.map((p) => p.id)).not.toContain(seller.id);

    // 120,000 t at 70.00 (reference 62.00, +12.9%): 8,400,000.00; fees 5 bp each side = 4,200.00.
    const proposed = await propose(seller.token, { symbol: 'CARBON-2024', side: 'sell', counterpartyId: buyer.id, price: '70.00', quantity: '120000', note: '协议编号 GZ-2026-118' });
    expect(proposed).toMatchObject({ status: 'proposed', amount: '8400000.00', buyerFee: '4200.00', sellerFee: '4200.00', referencePrice: '62.00', myRole: 'initiator', buyer: { id: buyer.id }, seller: { id: seller.id } });
    expect(await holding(tp, seller.token, 'CARBON-2024')).toEqual(['30000', '120000']);
    // Only the counterparty confirms.
    expectRefusal(await tp.api('POST', `/api/blocks/${proposed.id}/confirm`, seller.token), 403, 'NOT_THE_COUNTERPARTY');
    const seen = ok<BlockView>(await tp.api('GET', `/api/blocks/${proposed.id}`, buyer.token), 200, 'get block');
    expect(seen.myRole).toBe('counterparty');

    const confirmed = ok<BlockView>(await tp.api('POST', `/api/blocks/${proposed.id}/confirm`, buyer.token), 200, 'confirm');
    expect(confirmed).toMatchObject({ status: 'confirmed' });
    expect((await cash(tp, buyer.token))[0]).toBe('1595800.00');
    await waitSettled(tp, [confirmed.tradeId!]);
    expect(await cash(tp, buyer.token)).toEqual(['1595800.00', '0.00']);
    expect(await holding(tp, buyer.token, 'CARBON-2024')).toEqual(['120000', '0']);
    expect(await cash(tp, seller.token)).toEqual(['8395800.00', '0.00']);
    expect(await holding(tp, seller.token, 'CARBON-2024')).toEqual(['30000', '0']);

    const tape = ok<Array<{ id: string; price: string; quantity: string; venue: string }>>(await tp.api('GET', '/api/instruments/CARBON-2024/trades'), 200, 'tape');
    expect(tape[0]).toMatchObject({ id: confirmed.tradeId, price: '70.00', quantity: '120000', venue: 'block' });
    const certificate = ok<{ certificateNo: string | null }>(await tp.api('GET', `/api/settlements/${confirmed.tradeId}`, buyer.token), 200, 'settlement');
    expect(certificate.certificateNo).toMatch(/^ERX-/);
    const actions = await tp.running.platform.knex('audit_log').where({ subject: `block:${proposed.id}` }).orderBy('seq').pluck('action');
    expect(actions).toEqual(['block.propose', 'block.confirm']);
    await expectLedgerReconciles(tp);
  });

  it('a block print counts in the day’s volume and value but not in the last price, change or candles (issue 20, item 2)', async () => {
    const [seller, buyer] = await Promise.all([tp.participant('enterprise', '吉安碳汇开发有限公司'), tp.participant('enterprise', '九江石化有限公司')]);
    await tp.lot(seller.id, 'CARBON-2023', '130000');
    await tp.deposit(buyer.id, '10000000.00');
    const instrument = async () =>
      ok<Array<{ symbol: string; lastPrice: string | null; changePct: string | null; dayVolume: string }>>(await tp.api('GET', '/api/instruments'), 200, 'instruments').find((i) => i.symbol === 'CARBON-2023')!;
    await place(tp, seller.token, { symbol: 'CARBON-2023', side: 'sell', price: '58.00', quantity: '100' });
    await place(tp, buyer.token, { symbol: 'CARBON-2023', side: 'buy', price: '58.00', quantity: '100' });
    const before = await instrument();
    expect(before.lastPrice).toBe('58.00');

    const block = await propose(seller.token, { symbol: 'CARBON-2023', side: 'sell', counterpartyId: buyer.id, price: '66.00', quantity: '120000' });
    ok<BlockView>(await tp.api('POST', `/api/blocks/${block.id}/confirm`, buyer.token), 200, 'confirm');

    const after = await instrument();
    expect(after).toMatchObject({ lastPrice: '58.00', changePct: before.changePct });
    expect(dec(after.dayVolume).minus(before.dayVolume).toFixed(0)).toBe('120000');
    const candles = ok<Array<{ high: string; low: string; volume: string }>>(await tp.api('GET', '/api/instruments/CARBON-2023/candles?interval=1m'), 200, 'candles');
    expect(candles.length).toBeGreaterThan(0);
    expect(candles.every((c) => dec(c.high).lt('66.00'))).toBe(true);
    // The tape still shows it, marked as a block.
    const tape = ok<Array<{ price: string; venue: string }>>(await tp.api('GET', '/api/instruments/CARBON-2023/trades'), 200, 'tape');
    expect(tape[0]).toMatchObject({ price: '66.00', venue: 'block' });
  });

  it('a confirmation whose record was lost is found by the trade’s reference, and never trades twice', async () => {
    const [seller, buyer] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'CARBON-2024', '100000');
    await tp.deposit(buyer.id, '7000000.00');
    const proposed = await propose(seller.token, { symbol: 'CARBON-2024', side: 'sell', counterpartyId: buyer.id, price: '63.00', quantity: '100000' });
    const confirmed = ok<BlockView>(await tp.api('POST', `/api/blocks/${proposed.id}/confirm`, buyer.token), 200, 'confirm');
    const knex = tp.running.platform.knex;
    expect(await knex('trades').where({ id: confirmed.tradeId }).first('venue', 'offbook_ref')).toEqual({ venue: 'block', offbook_ref: `block:${proposed.id}` });

    // As after a crash between the engine's commit and the block's own record of it.
    await knex('block_trades').where({ id: proposed.id }).update({ status: 'proposed', trade_id: null, decided_by: null, decided_at: null });
    expectRefusal(await tp.api('POST', `/api/blocks/${proposed.id}/reject`, buyer.token, { reason: 'too late' }), 409, 'BLOCK_NOT_PROPOSED');
    expect(ok<BlockView>(await tp.api('GET', `/api/blocks/${proposed.id}`, buyer.token), 200, 'get')).toMatchObject({ status: 'confirmed', tradeId: confirmed.tradeId });
    expect(await knex('trades').where({ offbook_ref: `block:${proposed.id}` }).pluck('id')).toEqual([confirmed.tradeId]);

    // A second trade under the same reference is refused by PostgreSQL itself.
    const duplicate = await knex
      .transaction(async (trx) => {
        await trx.raw(`CREATE TEMP TABLE copy ON COMMIT DROP AS SELECT * FROM trades WHERE id = ?`, [confirmed.tradeId]);
        await trx.raw(`UPDATE copy SET id = id + 1000000000`);
        await trx.raw(`INSERT INTO trades SELECT * FROM copy`);
      })
      .then(
        () => 'inserted',
        (error: { constraint?: string }) => error.constraint,
      );
    expect(duplicate).toBe('trades_offbook_ref_unique');
    await waitSettled(tp, [confirmed.tradeId!]);
    await expectLedgerReconciles(tp);
  });

  it('not confirmed in time expires and releases the proposer’s cash to the fen', async () => {
    const [seller, buyer] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    await tp.lot(seller.id, 'CARBON-2024', '100000');
    await tp.deposit(buyer.id, '7000000.00');
    const start = tp.running.platform.clock.now();
    // The buyer proposes: 100,000 t × 63.37 = 6,337,000.00 + fee 3,168.50 locked.
    const proposed = await propose(buyer.token, { symbol: 'CARBON-2024', side: 'buy', counterpartyId: seller.id, price: '63.37', quantity: '100000', confirmWithinMinutes: 10 });
    expect(await cash(tp, buyer.token)).toEqual(['659831.50', '6340168.50']);
    await advanceTo(tp, after(start, 9));
    expect(ok<BlockView>(await tp.api('GET', `/api/blocks/${proposed.id}`, buyer.token), 200, 'get').status).toBe('proposed');
    await advanceTo(tp, after(start, 10));
    const expired = ok<BlockView>(await tp.api('GET', `/api/blocks/${proposed.id}`, buyer.token), 200, 'get');
    expect(expired).toMatchObject({ status: 'expired', reason: 'not confirmed in time', tradeId: null });
    expect(await cash(tp, buyer.token)).toEqual(['7000000.00', '0.00']);
    expectRefusal(await tp.api('POST', `/api/blocks/${proposed.id}/confirm`, seller.token), 409, 'BLOCK_NOT_PROPOSED');
    expect(await holding(tp, seller.token, 'CARBON-2024')).toEqual(['100000', '0']);
    await expectLedgerReconciles(tp);
  });

  it('is refused outside ±30% of the reference price, below the block minimum, and can be rejected or withdrawn', async () => {
    const seller = await tp.participant('government', '南丰县自然资源局', '抚州市南丰县');
    const buyer = await tp.participant('enterprise');
    await tp.lot(seller.id, 'FARMLAND-QTY', '50.00');
    await tp.deposit(buyer.id, '20000000.00');
    const base = { symbol: 'FARMLAND-QTY', side: 'sell', counterpartyId: buyer.id, quantity: '12.00' };
    // Reference 368,500.00: the band is 257,950.00–479,050.00.
    const above = await tp.api('POST', '/api/blocks', seller.token, { ...base, price: '479050.01' });
    expectRefusal(above, 422, 'PRICE_OUT_OF_BAND');
    expect(above.json<{ params: unknown }>().params).toEqual({ low: '257950.00', high: '479050.00', reference: '368500.00', bandPct: '30' });
    expectRefusal(await tp.api('POST', '/api/blocks', seller.token, { ...base, price: '257949.99' }), 422, 'PRICE_OUT_OF_BAND');
    const underMinimum = await tp.api('POST', '/api/blocks', seller.token, { ...base, price: '368500.00', quantity: '9.99' });
    expectRefusal(underMinimum, 422, 'BELOW_BLOCK_MINIMUM');
    expect(underMinimum.json<{ params: unknown }>().params).toEqual({ minQuantity: '10', unit: '亩' });
    // An enterprise may not sell a government-only indicator, not even as a block.
    expectRefusal(await tp.api('POST', '/api/blocks', buyer.token, { ...base, counterpartyId: seller.id, price: '368500.00' }), 403, 'SELLER_NOT_ELIGIBLE');
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['50.00', '0.00']);

    const edge = await propose(seller.token, { ...base, price: '479050.00' });
    const rejected = ok<BlockView>(await tp.api('POST', `/api/blocks/${edge.id}/reject`, buyer.token, { reason: '价格过高' }), 200, 'reject');
    expect(rejected).toMatchObject({ status: 'rejected', reason: '价格过高' });
    const low = await propose(seller.token, { ...base, price: '257950.00' });
    const withdrawn = ok<BlockView>(await tp.api('POST', `/api/blocks/${low.id}/cancel`, seller.token, {}), 200, 'cancel');
    expect(withdrawn.status).toBe('cancelled');
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['50.00', '0.00']);

    // The operator lowers the minimum; a 5-亩 block is then accepted.
    const listed = async () => ok<Array<{ symbol: string; blockMinQuantity: string; guidancePrice: string }>>(await tp.api('GET', '/api/instruments'), 200, 'instruments').find((i) => i.symbol === 'FARMLAND-QTY')!;
    // The instrument list advertises exactly the band the proposals above met (the UI checks it).
    expect(await listed()).toMatchObject({ blockMinQuantity: '10.00', guidancePrice: '368500.00', blockBandLow: '257950.00', blockBandHigh: '479050.00' });
    ok(await put(tp, '/api/admin/instruments/FARMLAND-QTY/block-minimum', tp.operatorToken, { quantity: '5.00' }), 200, 'set minimum');
    expect((await listed()).blockMinQuantity).toBe('5.00');
    const small = await propose(seller.token, { ...base, price: '368500.00', quantity: '5.00' });
    expect(small.status).toBe('proposed');
    await expectLedgerReconciles(tp);
  });
});
