import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { eventually, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { expectLedgerReconciles, expectRefusal, holding, place, stateSnapshot, waitSettled } from '../support/market.ts';
import { after, allowShortListings, ok, pinClock } from '../listings/listing-support.ts';
import { dec } from '../../../server/shared/decimal.ts';
import type { ControlledLot, HolderLotControl } from '../../../contract/lot-controls.ts';

// Freeze, unfreeze and revoke lots (issue 15): frozen quantity cannot be sold, listed, traded in a
// block or used; unfreezing gives back exactly what was frozen, also after a restart; revoking
// takes back what the registrant still holds and flags what buyers hold to regulators.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('lot-controls', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  pinClock(tp, new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3_600_000));
  await allowShortListings(tp, 'FARMLAND-QTY');
});
afterAll(async () => {
  await tp?.close();
});

const knex = () => tp.running.platform.knex;
/** Ids of the lots registered to a participant, oldest first. */
const lotsOf = async (participantId: string) => (await knex()('lots').where({ participant_id: participantId }).orderBy('id').pluck<string[]>('id')).map(String);
const freeze = (lotId: string, token = tp.regulatorToken, body: unknown = { reason: 'court_order', note: '(2026)赣0102民初1234号 财产保全' }) => tp.api('POST', `/api/lots/${lotId}/freeze`, token, body);
const unfreeze = (lotId: string, token = tp.operatorToken, body: unknown = { note: '法院解除保全' }) => tp.api('POST', `/api/lots/${lotId}/unfreeze`, token, body);
const revoke = (lotId: string, token = tp.operatorToken, body: unknown = { reason: '验收文件系伪造（省厅复核）' }) => tp.api('POST', `/api/lots/${lotId}/revoke`, token, body);
const sell = (token: string, symbol: string, quantity: string, price: string) => tp.api('POST', '/api/orders', token, { symbol, side: 'sell', type: 'limit', price, quantity, timeInForce: 'GTC' });
/** Everything a refusal must leave as it was: balances, books, orders, reservations, lot rows and alerts. */
const everything = async (tokens: string[], symbols: string[]) => {
  const base = await stateSnapshot(tp, tokens, symbols);
  const [extra] = (
    await knex().raw<{ rows: Array<Record<string, string>> }>(
      `SELECT (SELECT count(*) FROM reservations)::text AS reservations,
              (SELECT coalesce(string_agg(id || ':' || status || ':' || amount, ',' ORDER BY id), '') FROM reservations) AS reservation_rows,
              (SELECT count(*) FROM lot_freezes)::text AS freezes, (SELECT count(*) FROM lot_freezes WHERE closed_at IS NULL)::text AS open_freezes,
              (SELECT count(*) FROM lot_revocations)::text AS revocations, (SELECT count(*) FROM alerts)::text AS alerts,
              (SELECT count(*) FROM listings)::text AS listings, (SELECT count(*) FROM registry_actions)::text AS registry_actions,
              (SELECT coalesce(string_agg(lot_id || ':' || participant_id || ':' || quantity, ',' ORDER BY id), '') FROM lot_holdings) AS holdings`,
    )
  ).rows;
  return { ...base, extra };
};
const params = (res: LightMyRequestResponse) => res.json<{ params: Record<string, string> }>().params;

describe('a frozen lot', () => {
  it('cannot be sold, listed or used; the rest of the holder’s quantity trades from its other lots', async () => {
    const seller = await tp.participant('government', '寻乌县自然资源局', '赣州市寻乌县');
    const buyer = await tp.participant('enterprise', '南昌建设投资集团有限公司', '南昌市');
    await tp.lot(seller.id, 'FARMLAND-QTY', '3.00');
    await tp.lot(seller.id, 'FARMLAND-QTY', '2.00');
    await tp.deposit(buyer.id, '5000000.00');
    const [lotA, lotB] = await lotsOf(seller.id);

    const frozen = ok<ControlledLot>(await freeze(lotA!), 201, 'freeze');
    expect(frozen).toMatchObject({ id: lotA, status: 'frozen', freeze: { reason: 'court_order', frozenBy: 'regulator', pieces: [{ participantId: seller.id, quantity: '3.00' }] } });
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['2.00', '3.00']);
    const frozenHolding = async () => (await tp.api('GET', '/api/account', seller.token)).json<{ holdings: Array<{ symbol: string; frozen?: string }> }>().holdings.find((h) => h.symbol === 'FARMLAND-QTY')!.frozen;
    expect(await frozenHolding()).toBe('3.00');
    // The holder sees why its quantity is locked.
    expect(ok<HolderLotControl[]>(await tp.api('GET', '/api/account/lot-controls', seller.token), 200, 'holder controls')).toEqual([
      expect.objectContaining({ lotId: lotA, status: 'frozen', quantity: '3.00', reason: 'court_order' }),
    ]);

    const before = await everything([seller.token, buyer.token], ['FARMLAND-QTY']);
    const start = tp.running.platform.clock.now();
    const refusals = [
      await sell(seller.token, 'FARMLAND-QTY', '2.50', '380000.00'),
      await tp.api('POST', '/api/listings', seller.token, {
        symbol: 'FARMLAND-QTY',
        title: '寻乌县耕地占补平衡指标挂牌',
        quantity: '2.50',
        startPrice: '400000.00',
        bidIncrement: '1000.00',
        marginPct: '5',
        registrationOpensAt: after(start, 1).toISOString(),
        registrationClosesAt: after(start, 60).toISOString(),
        biddingOpensAt: after(start, 30).toISOString(),
        biddingClosesAt: after(start, 120).toISOString(),
      }),
      await tp.api('POST', '/api/registry/uses', seller.token, { symbol: 'FARMLAND-QTY', quantity: '2.50', projectName: '寻乌县工业园区道路工程', approvalRef: '赣自然资建〔2026〕12号', requestId: 'use-frozen-1' }),
    ];
    for (const res of refusals) {
      expectRefusal(res, 422, 'LOT_FROZEN');
      expect(dec(params(res).frozenQuantity!).eq('3')).toBe(true);
      expect(dec(params(res).availableQuantity!).eq('2')).toBe(true);
    }
    // Beyond what freezing explains, it is the plain shortfall.
    expectRefusal(await sell(seller.token, 'FARMLAND-QTY', '5.01', '380000.00'), 422, 'INSUFFICIENT_HOLDINGS');
    expect(await everything([seller.token, buyer.token], ['FARMLAND-QTY'])).toEqual(before);

    // What is not frozen trades, and is delivered from the unfrozen lot although lot A is older.
    await place(tp, seller.token, { symbol: 'FARMLAND-QTY', side: 'sell', price: '380000.00', quantity: '2.00' });
    const bought = await place(tp, buyer.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '380000.00', quantity: '2.00' });
    await waitSettled(tp, bought.fills.map((f) => f.tradeId));
    const held = await knex()('lot_holdings').whereIn('lot_id', [lotA!, lotB!]).where('quantity', '>', 0).orderBy(['lot_id', 'participant_id']).select('lot_id', 'participant_id', 'quantity');
    expect(held.map((h) => [String(h.lot_id), String(h.participant_id), dec(h.quantity).toFixed(2)])).toEqual([
      [lotA, seller.id, '3.00'],
      [lotB, buyer.id, '2.00'],
    ]);
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['0.00', '3.00']);
    await expectLedgerReconciles(tp);

    // Unfreezing gives back exactly what was frozen, and the lot sells.
    const lifted = ok<ControlledLot>(await unfreeze(lotA!), 200, 'unfreeze');
    expect(lifted).toMatchObject({ status: 'normal', freeze: null });
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['3.00', '0.00']);
    expect(await frozenHolding()).toBeUndefined();
    expect(await tp.api('GET', '/api/account/lot-controls', seller.token).then((r) => r.json())).toEqual([]);
    const ask = await place(tp, seller.token, { symbol: 'FARMLAND-QTY', side: 'sell', price: '380000.00', quantity: '3.00' });
    expect((await tp.api('DELETE', `/api/orders/${ask.order.id}`, seller.token)).statusCode).toBe(200);

    // Audited on the chain and pushed to regulators as alerts.
    const actions = await knex()('audit_log').where({ subject: `lot:${lotA}` }).orderBy('seq').pluck('action');
    expect(actions).toEqual(['lot.register', 'lot.freeze', 'lot.unfreeze']);
    const alerts = ok<Array<{ rule: string; participantIds: string[]; details: { lotId: string } }>>(await tp.api('GET', '/api/regulator/alerts', tp.regulatorToken), 200, 'alerts');
    expect(alerts.filter((a) => a.details.lotId === lotA).map((a) => a.rule)).toEqual(['lot_unfrozen', 'lot_frozen']);
    await expectLedgerReconciles(tp);
  });

  it('cannot be traded in a block or retired, and pieces bought before the freeze are frozen with their buyer', async () => {
    const [seller, buyer] = [await tp.participant('enterprise', '赣州林业碳汇开发有限公司'), await tp.participant('enterprise', '南昌电力股份有限公司')];
    await tp.lot(seller.id, 'CARBON-2024', '150000');
    await tp.deposit(buyer.id, '20000000.00');
    const [lot] = await lotsOf(seller.id);
    await place(tp, seller.token, { symbol: 'CARBON-2024', side: 'sell', price: '62.00', quantity: '100' });
    const bought = await place(tp, buyer.token, { symbol: 'CARBON-2024', side: 'buy', price: '62.00', quantity: '100' });
    await waitSettled(tp, bought.fills.map((f) => f.tradeId));

    const frozen = ok<ControlledLot>(await freeze(lot!, tp.operatorToken, { reason: 'pledge', note: '武宁县碳汇收益权质押 ¥3,000,000' }), 201, 'freeze');
    expect(frozen.freeze!.pieces.map((p) => [p.participantId, p.quantity]).sort()).toEqual([[buyer.id, '100'], [seller.id, '149900']].sort());
    const before = await everything([seller.token, buyer.token], ['CARBON-2024']);
    const block = await tp.api('POST', '/api/blocks', seller.token, { symbol: 'CARBON-2024', side: 'sell', counterpartyId: buyer.id, price: '70.00', quantity: '120000', note: '协议编号 GZ-2026-119' });
    expectRefusal(block, 422, 'LOT_FROZEN');
    const retire = await tp.api('POST', '/api/registry/retirements', buyer.token, { symbol: 'CARBON-2024', quantity: '10', beneficiary: '南昌电力股份有限公司', reason: '2025年度排放抵消', requestId: 'retire-frozen-1' });
    expectRefusal(retire, 422, 'LOT_FROZEN');
    expect(await everything([seller.token, buyer.token], ['CARBON-2024'])).toEqual(before);
    ok(await unfreeze(lot!), 200, 'unfreeze');
    expect(await holding(tp, buyer.token, 'CARBON-2024')).toEqual(['100', '0']);
    expect(await holding(tp, seller.token, 'CARBON-2024')).toEqual(['149900', '0']);
  });

  it('stays frozen across a restart, and unfreezing after it gives back exactly what was frozen', async () => {
    const seller = await tp.participant('government', '永修县自然资源局', '九江市永修县');
    await tp.lot(seller.id, 'FARMLAND-QTY', '1.37');
    const [lot] = await lotsOf(seller.id);
    ok(await freeze(lot!, tp.regulatorToken, { reason: 'dispute', note: '权属争议，待县政府调处' }), 201, 'freeze');
    await tp.restart();
    const token = await tp.login(seller.username);
    expect(await holding(tp, token, 'FARMLAND-QTY')).toEqual(['0.00', '1.37']);
    expectRefusal(await sell(token, 'FARMLAND-QTY', '0.01', '380000.00'), 422, 'LOT_FROZEN');
    expectRefusal(await freeze(lot!), 409, 'LOT_ALREADY_FROZEN');
    const lifted = ok<ControlledLot>(await unfreeze(lot!, tp.regulatorToken), 200, 'unfreeze');
    expect(lifted.status).toBe('normal');
    expect(await holding(tp, token, 'FARMLAND-QTY')).toEqual(['1.37', '0.00']);
    await expectLedgerReconciles(tp);
  });
});

describe('revoking a lot', () => {
  it('takes back exactly what the registrant holds and flags the buyer of the rest', async () => {
    const seller = await tp.participant('government', '南丰县自然资源局', '抚州市南丰县');
    const buyer = await tp.participant('enterprise', '江西赣江新区建设投资有限公司', '赣江新区');
    await tp.lot(seller.id, 'FARMLAND-QTY', '5.37');
    await tp.lot(seller.id, 'FARMLAND-QTY', '1.00');
    await tp.deposit(buyer.id, '5000000.00');
    const [bad, good] = await lotsOf(seller.id);
    await place(tp, seller.token, { symbol: 'FARMLAND-QTY', side: 'sell', price: '380000.00', quantity: '2.13' });
    const bought = await place(tp, buyer.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '380000.00', quantity: '2.13' });
    await waitSettled(tp, bought.fills.map((f) => f.tradeId));
    const issuance = async () => (await knex()('accounts').where({ system_role: 'issuance', asset: 'FARMLAND-QTY' }).first<{ available: string }>('available'))!.available;
    const issuedBefore = dec(await issuance());

    const revoked = ok<ControlledLot>(await revoke(bad!), 201, 'revoke');
    expect(revoked).toMatchObject({ status: 'revoked', revocation: { removedQuantity: '3.24', revokedBy: 'operator', onward: [{ participantId: buyer.id, participant: '江西赣江新区建设投资有限公司', status: 'held', quantity: '2.13' }] } });
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['1.00', '0.00']);
    expect(await holding(tp, buyer.token, 'FARMLAND-QTY')).toEqual(['2.13', '0.00']);
    expect(dec(await issuance()).sub(issuedBefore).toFixed(2)).toBe('3.24');
    const lineage = ok<{ movements: Array<{ kind: string; quantity: string }> }>(await tp.api('GET', `/api/lots/${bad}`, tp.regulatorToken), 200, 'lineage');
    expect(lineage.movements.map((m) => [m.kind, m.quantity])).toEqual([['issue', '5.37'], ['trade', '2.13'], ['revoke', '3.24']]);
    expect(await lotsOf(seller.id)).toEqual([bad, good]);
    await expectLedgerReconciles(tp);

    const alerts = ok<Array<{ rule: string; severity: string; participantIds: string[]; details: { lotId: string; onward: Array<{ name: string; quantity: string }> } }>>(await tp.api('GET', '/api/regulator/alerts?rule=lot_revoked', tp.regulatorToken), 200, 'alerts');
    const flag = alerts.find((a) => a.details.lotId === bad);
    expect(flag).toMatchObject({ severity: 'critical', details: { onward: [{ name: '江西赣江新区建设投资有限公司', quantity: '2.13' }] } });
    expect(flag!.participantIds.sort()).toEqual([seller.id, buyer.id].sort());
    expect(ok<HolderLotControl[]>(await tp.api('GET', '/api/account/lot-controls', seller.token), 200, 'holder')).toEqual([expect.objectContaining({ lotId: bad, status: 'revoked', quantity: '3.24' })]);

    // A revoked lot is revoked once and is not frozen or unfrozen after.
    const before = await everything([seller.token, buyer.token], ['FARMLAND-QTY']);
    expectRefusal(await revoke(bad!), 409, 'LOT_REVOKED');
    expectRefusal(await freeze(bad!), 409, 'LOT_REVOKED');
    expectRefusal(await unfreeze(bad!), 409, 'LOT_REVOKED');
    expect(await everything([seller.token, buyer.token], ['FARMLAND-QTY'])).toEqual(before);
  });

  it('is refused while the lot is committed to an open order or frozen, with nothing changed', async () => {
    const seller = await tp.participant('government', '婺源县自然资源局', '上饶市婺源县');
    await tp.lot(seller.id, 'FARMLAND-QTY', '2.00');
    const [lot] = await lotsOf(seller.id);
    const ask = await place(tp, seller.token, { symbol: 'FARMLAND-QTY', side: 'sell', price: '390000.00', quantity: '0.50' });
    let before = await everything([seller.token], ['FARMLAND-QTY']);
    const inUse = await revoke(lot!);
    expectRefusal(inUse, 409, 'LOT_IN_USE');
    expect(params(inUse)).toMatchObject({ participantId: seller.id });
    expectRefusal(await freeze(lot!), 409, 'LOT_IN_USE');
    expect(await everything([seller.token], ['FARMLAND-QTY'])).toEqual(before);

    expect((await tp.api('DELETE', `/api/orders/${ask.order.id}`, seller.token)).statusCode).toBe(200);
    ok(await freeze(lot!), 201, 'freeze');
    before = await everything([seller.token], ['FARMLAND-QTY']);
    expectRefusal(await revoke(lot!), 409, 'LOT_FROZEN');
    expect(await everything([seller.token], ['FARMLAND-QTY'])).toEqual(before);
    ok(await unfreeze(lot!), 200, 'unfreeze');
    ok(await revoke(lot!), 201, 'revoke');
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['0.00', '0.00']);
    await expectLedgerReconciles(tp);
  });
});

describe('bad requests change nothing', () => {
  it('refuses unknown lots, missing reasons, repeats and the wrong roles', async () => {
    const seller = await tp.participant('government', '测试县自然资源局', '上饶市婺源县');
    const enterprise = await tp.participant('enterprise');
    await tp.lot(seller.id, 'FARMLAND-QTY', '1.00');
    const [lot] = await lotsOf(seller.id);
    ok(await freeze(lot!), 201, 'freeze');
    const [other] = await (async () => {
      await tp.lot(seller.id, 'FARMLAND-QTY', '1.00');
      return (await lotsOf(seller.id)).slice(1);
    })();
    const before = await everything([seller.token, enterprise.token], ['FARMLAND-QTY']);
    const cases: Array<[string, () => Promise<LightMyRequestResponse>, number, string]> = [
      ['unknown lot', () => freeze('999999999'), 404, 'LOT_NOT_FOUND'],
      ['unknown lot (revoke)', () => revoke('999999999'), 404, 'LOT_NOT_FOUND'],
      ['not an id', () => freeze('abc'), 400, 'VALIDATION_FAILED'],
      ['missing reason', () => freeze(other!, tp.regulatorToken, { note: '无理由' }), 400, 'VALIDATION_FAILED'],
      ['unknown reason', () => freeze(other!, tp.regulatorToken, { reason: 'whim', note: '随意' }), 400, 'VALIDATION_FAILED'],
      ['missing note', () => freeze(other!, tp.regulatorToken, { reason: 'dispute' }), 400, 'VALIDATION_FAILED'],
      ['extra field', () => freeze(other!, tp.regulatorToken, { reason: 'dispute', note: '争议', quantity: '1' }), 400, 'UNKNOWN_FIELD'],
      ['revoke without reason', () => revoke(other!, tp.operatorToken, {}), 400, 'VALIDATION_FAILED'],
      ['double freeze', () => freeze(lot!), 409, 'LOT_ALREADY_FROZEN'],
      ['unfreeze a lot not frozen', () => unfreeze(other!), 409, 'LOT_NOT_FROZEN'],
      ['enterprise freezes', () => freeze(other!, enterprise.token), 403, 'FORBIDDEN_ROLE'],
      ['holder unfreezes its own lot', () => unfreeze(lot!, seller.token), 403, 'FORBIDDEN_ROLE'],
      ['regulator revokes', () => revoke(other!, tp.regulatorToken), 403, 'FORBIDDEN_ROLE'],
      ['no token', () => tp.api('POST', `/api/lots/${other}/freeze`, null, { reason: 'dispute', note: '争议' }), 401, 'TOKEN_MISSING'],
      ['holder lists all lots', () => tp.api('GET', '/api/lot-controls', seller.token), 403, 'FORBIDDEN_ROLE'],
    ];
    for (const [name, call, status, code] of cases) {
      const res = await call();
      expect({ name, status: res.statusCode, code: res.json<{ code: string }>().code }).toEqual({ name, status, code });
      expectRefusal(res, status, code);
    }
    expect(await everything([seller.token, enterprise.token], ['FARMLAND-QTY'])).toEqual(before);
    const listed = ok<ControlledLot[]>(await tp.api('GET', `/api/lot-controls?participantId=${seller.id}`, tp.regulatorToken), 200, 'list');
    expect(listed.map((l) => [l.id, l.status])).toEqual([[other, 'normal'], [lot, 'frozen']]);
  });
});

describe('controls that race or meet other rules', () => {
  it('freezes and revokes a lot once when asked many times at once', async () => {
    const seller = await tp.participant('government');
    await tp.lot(seller.id, 'FARMLAND-QTY', '4.00');
    await tp.lot(seller.id, 'FARMLAND-QTY', '1.00');
    const [first, second] = await lotsOf(seller.id);
    const freezes = await Promise.all(Array.from({ length: 8 }, (_, i) => freeze(first!, i % 2 === 0 ? tp.regulatorToken : tp.operatorToken)));
    expect(freezes.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of freezes.filter((x) => x.statusCode !== 201)) expectRefusal(r, 409, 'LOT_ALREADY_FROZEN');
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['1.00', '4.00']);
    const revokes = await Promise.all(Array.from({ length: 8 }, () => revoke(second!)));
    expect(revokes.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of revokes.filter((x) => x.statusCode !== 201)) expectRefusal(r, 409, 'LOT_REVOKED');
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['0.00', '4.00']);
    expect(await knex()('lot_revocations').where({ lot_id: second }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '1' }]);
    await expectLedgerReconciles(tp);
  });

  it('survives the holder’s suspension: suspending releases the holder’s reservations but not the freeze', async () => {
    const seller = await tp.participant('government');
    await tp.lot(seller.id, 'FARMLAND-QTY', '2.00');
    const [lot] = await lotsOf(seller.id);
    ok(await freeze(lot!), 201, 'freeze');
    ok(await tp.api('POST', `/api/onboarding/participants/${seller.id}/suspend`, tp.operatorToken, { reason: '涉嫌违规，暂停交易' }), 200, 'suspend');
    const frozen = await knex()('reservations').where({ participant_id: seller.id, purpose: 'lot_freeze', status: 'active' }).pluck('amount');
    expect(frozen.map((a: string) => dec(a).toFixed(2))).toEqual(['2.00']);
    ok(await tp.api('POST', `/api/onboarding/participants/${seller.id}/reinstate`, tp.operatorToken, { reason: '核查完毕，恢复交易' }), 200, 'reinstate');
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['0.00', '2.00']);
    ok(await unfreeze(lot!), 200, 'unfreeze');
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['2.00', '0.00']);
    await expectLedgerReconciles(tp);
  });

  it('writes nothing when the pieces the engine locked are not the registry’s any more, and recovers', async () => {
    const seller = await tp.participant('government');
    await tp.lot(seller.id, 'FARMLAND-QTY', '2.00');
    const [lot] = await lotsOf(seller.id);
    const before = await everything([seller.token], ['FARMLAND-QTY']);
    // As if settlement had moved half of the piece after the registry was read.
    const stale = await tp.running.platform.engine.submit({
      kind: 'freezeLot',
      actor: { userId: '1', username: 'operator' },
      lotId: lot!,
      symbol: 'FARMLAND-QTY',
      reason: 'dispute',
      note: '过期的持有情况',
      pieces: [{ participantId: seller.id, quantity: dec('1.00') }],
    });
    expect(stale.ok ? 'accepted' : stale.error.code).toBe('ENGINE_UNAVAILABLE');
    expect(await everything([seller.token], ['FARMLAND-QTY'])).toEqual(before);
    // The engine rebuilt from PostgreSQL: the lot is not frozen there, so a real freeze goes through.
    const frozen = await eventually(async () => {
      const res = await freeze(lot!);
      return res.statusCode === 201 ? res.json<ControlledLot>() : undefined;
    }, 'the freeze once the engine is back');
    expect(frozen.freeze!.pieces.map((p) => p.quantity)).toEqual(['2.00']);
    expect(await holding(tp, seller.token, 'FARMLAND-QTY')).toEqual(['0.00', '2.00']);
    await expectLedgerReconciles(tp);
  });

  it('documents every endpoint in the OpenAPI description', async () => {
    const openapi = ok<{ paths: Record<string, Record<string, unknown>> }>(await tp.api('GET', '/docs/json'), 200, 'openapi');
    for (const [path, method] of [['/api/lots/{id}/freeze', 'post'], ['/api/lots/{id}/unfreeze', 'post'], ['/api/lots/{id}/revoke', 'post'], ['/api/lot-controls', 'get'], ['/api/account/lot-controls', 'get']] as const) {
      expect(openapi.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});
