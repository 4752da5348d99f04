import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import type { AlertView } from '../../../server/market/market-bus.ts';
import { place } from './support/orders.ts';

let tp: TestPlatform;
const live: AlertView[] = [];

beforeAll(async () => {
  tp = await startTestPlatform('surveillance-alerts');
  tp.running.platform.bus.on('alert', (alert) => live.push(alert));
});
afterAll(async () => {
  await tp?.close();
});

interface AlertRecord extends AlertView {
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgementNote: string | null;
}

const alerts = async (query = '') => {
  const res = await tp.api('GET', `/api/regulator/alerts${query}`, tp.regulatorToken);
  expect(res.statusCode).toBe(200);
  return res.json<AlertRecord[]>();
};

describe('wash trading between related participants, end to end', () => {
  let seller: { id: string; token: string };
  let buyer: { id: string; token: string };
  let washAlert: AlertRecord;

  it('flags a trade between participants the operator marked related, stores it and pushes it live', async () => {
    seller = await tp.participant('government', '鹰潭市自然资源局', '鹰潭市余江区');
    buyer = await tp.participant('enterprise', '鹰潭城投集团有限公司', '鹰潭市月湖区');
    await tp.lot(seller.id, 'FARMLAND-QTY', '10.00');
    await tp.deposit(buyer.id, '3000000.00');

    const marked = await tp.api('POST', '/api/admin/related-participants', tp.operatorToken, { participantA: buyer.id, participantB: seller.id, reason: '同一实际控制人（鹰潭市国资委）' });
    expect(marked.statusCode).toBe(201);
    expect(marked.json()).toMatchObject({ participantA: seller.id, participantB: buyer.id, nameA: '鹰潭市自然资源局', createdBy: 'operator' });

    await place(tp, seller.token, 'FARMLAND-QTY', 'sell', '368500.00', '2.00');
    const bought = await place(tp, buyer.token, 'FARMLAND-QTY', 'buy', '368500.00', '2.00');
    const tradeId = bought.fills[0]!.tradeId;

    washAlert = await eventually(async () => (await alerts('?rule=wash_trading')).find((a) => a.details && (a.details as { tradeId?: string }).tradeId === tradeId), 'wash alert stored');
    expect(washAlert).toMatchObject({
      rule: 'wash_trading',
      severity: 'warning',
      symbol: 'FARMLAND-QTY',
      participantIds: [buyer.id, seller.id],
      // Named, so the screen reads 鹰潭城投集团有限公司 rather than "participant 9".
      participants: [
        { id: buyer.id, name: '鹰潭城投集团有限公司' },
        { id: seller.id, name: '鹰潭市自然资源局' },
      ],
      status: 'open',
      acknowledgedAt: null,
      details: { kind: 'related_participants', price: '368500.00', quantity: '2.00' },
    });
    // The push travels through Redis after the alert's transaction commits: it may arrive after the read above.
    expect(await eventually(async () => live.find((a) => a.id === washAlert.id), 'wash alert pushed')).toMatchObject({ rule: 'wash_trading', status: 'open', participants: washAlert.participants });

    const audit = await tp.api('GET', '/api/regulator/audit?action=participants.relate', tp.regulatorToken);
    expect(audit.json<Array<{ payload: { participantA: string } }>>()[0]?.payload.participantA).toBe(seller.id);
  });

  it('stops flagging the pair once the mark is removed', async () => {
    const removed = await tp.api('DELETE', `/api/admin/related-participants/${buyer.id}/${seller.id}`, tp.operatorToken);
    expect(removed.statusCode).toBe(200);
    expect((await tp.api('DELETE', `/api/admin/related-participants/${buyer.id}/${seller.id}`, tp.operatorToken)).json()).toMatchObject({ statusCode: 404, code: 'NOT_RELATED' });

    await place(tp, seller.token, 'FARMLAND-QTY', 'sell', '368500.00', '1.00');
    const bought = await place(tp, buyer.token, 'FARMLAND-QTY', 'buy', '368500.00', '1.00');
    await tp.running.platform.surveillance!.settled();
    const later = await alerts('?rule=wash_trading');
    expect(later.filter((a) => (a.details as { tradeId?: string }).tradeId === bought.fills[0]!.tradeId)).toEqual([]);
  });

  it('lets a regulator acknowledge an alert once, with a note, on the audit record', async () => {
    const note = '已核实：双方为同一国资委下属单位，交易经审批，继续关注';
    const res = await tp.api('POST', `/api/regulator/alerts/${washAlert.id}/acknowledge`, tp.regulatorToken, { note });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: washAlert.id, status: 'acknowledged', acknowledgedBy: 'regulator', acknowledgementNote: note });
    expect(live.filter((a) => a.id === washAlert.id).map((a) => a.status)).toEqual(['open', 'acknowledged']);

    const again = await tp.api('POST', `/api/regulator/alerts/${washAlert.id}/acknowledge`, tp.regulatorToken, { note: 'second look' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ statusCode: 409, code: 'ALERT_ALREADY_ACKNOWLEDGED' });

    const audit = (await tp.api('GET', '/api/regulator/audit?action=alert.acknowledge', tp.regulatorToken)).json<Array<{ subject: string; actor: string; payload: { note: string } }>>();
    expect(audit).toEqual([expect.objectContaining({ subject: `alert:${washAlert.id}`, actor: 'regulator', payload: expect.objectContaining({ note, rule: 'wash_trading' }) })]);

    expect((await alerts('?status=open&rule=wash_trading')).find((a) => a.id === washAlert.id)).toBeUndefined();
    expect((await alerts('?status=acknowledged')).map((a) => a.id)).toContain(washAlert.id);
  });

  it('refuses what it must: unknown alerts, other roles, unknown fields, bad related pairs', async () => {
    expect((await tp.api('POST', '/api/regulator/alerts/999999/acknowledge', tp.regulatorToken, { note: 'nothing here' })).json()).toMatchObject({ statusCode: 404, code: 'ALERT_NOT_FOUND' });
    expect((await tp.api('POST', `/api/regulator/alerts/${washAlert.id}/acknowledge`, buyer.token, { note: 'mine now' })).json()).toMatchObject({ statusCode: 403, code: 'FORBIDDEN_ROLE' });
    expect((await tp.api('GET', '/api/regulator/alerts', tp.operatorToken)).statusCode).toBe(403);
    expect((await tp.api('POST', `/api/regulator/alerts/${washAlert.id}/acknowledge`, tp.regulatorToken, { note: 'ok', extra: 1 })).json()).toMatchObject({ statusCode: 400, code: 'UNKNOWN_FIELD' });
    expect((await tp.api('GET', '/api/regulator/alerts?rule=insider_dealing', tp.regulatorToken)).json()).toMatchObject({ statusCode: 400 });
    expect((await tp.api('GET', '/api/regulator/alerts?colour=red', tp.regulatorToken)).json()).toMatchObject({ statusCode: 400, code: 'UNKNOWN_FIELD' });

    const relate = (body: unknown, token = tp.operatorToken) => tp.api('POST', '/api/admin/related-participants', token, body);
    expect((await relate({ participantA: buyer.id, participantB: buyer.id, reason: 'self' })).json()).toMatchObject({ statusCode: 422, code: 'SAME_PARTICIPANT' });
    expect((await relate({ participantA: buyer.id, participantB: '987654', reason: 'ghost' })).json()).toMatchObject({ statusCode: 404, code: 'PARTICIPANT_NOT_FOUND' });
    expect((await relate({ participantA: buyer.id, participantB: seller.id, reason: '监管不能标记' }, tp.regulatorToken)).json()).toMatchObject({ statusCode: 403 });
    expect((await relate({ participantA: buyer.id, participantB: seller.id, reason: '重新标记' })).statusCode).toBe(201);
    expect((await relate({ participantA: seller.id, participantB: buyer.id, reason: '再次标记' })).json()).toMatchObject({ statusCode: 409, code: 'ALREADY_RELATED' });
    const listed = (await tp.api('GET', '/api/admin/related-participants', tp.regulatorToken)).json<Array<{ participantA: string; reason: string }>>();
    expect(listed).toEqual([expect.objectContaining({ participantA: seller.id, reason: '重新标记' })]);
  });
});

describe('self-trade prevention and concentration, end to end', () => {
  it('logs an order that self-trade prevention cancelled as an information alert', async () => {
    const forest = await tp.participant('enterprise', '婺源县林业投资有限公司');
    await tp.lot(forest.id, 'CARBON-2024', '5000');
    await tp.deposit(forest.id, '100000.00');
    await place(tp, forest.token, 'CARBON-2024', 'sell', '62.00', '1000');
    const own = await place(tp, forest.token, 'CARBON-2024', 'buy', '62.00', '500');
    expect(own.order.status).toBe('cancelled');

    const stp = await eventually(async () => (await alerts('?rule=wash_trading&symbol=CARBON-2024')).find((a) => (a.details as { orderId?: string }).orderId === own.order.id), 'stp alert');
    expect(stp).toMatchObject({ severity: 'info', participantIds: [forest.id], details: { kind: 'stp_attempt', cancelledQuantity: '500' } });
  });

  it('flags a buyer whose settled holdings exceed 30% of what is held of an instrument', async () => {
    const county = await tp.participant('government', '寻乌县自然资源局', '赣州市寻乌县');
    const small = await tp.participant('enterprise', '赣州小型建材有限公司', '赣州市章贡区');
    const large = await tp.participant('enterprise', '赣州大型开发集团有限公司', '赣州市章贡区');
    await tp.lot(county.id, 'FARMLAND-PADDY', '10.00');
    await tp.deposit(small.id, '1000000.00');
    await tp.deposit(large.id, '1000000.00');
    await place(tp, county.token, 'FARMLAND-PADDY', 'sell', '125000.00', '5.00');
    // 2.00 of 10.00 is 20%: no finding. 3.00 of 10.00 would be 30%, not above it.
    await place(tp, small.token, 'FARMLAND-PADDY', 'buy', '125000.00', '2.00');
    const bought = await place(tp, large.token, 'FARMLAND-PADDY', 'buy', '125000.00', '3.00');
    await place(tp, county.token, 'FARMLAND-PADDY', 'sell', '125000.00', '1.00');
    const more = await place(tp, large.token, 'FARMLAND-PADDY', 'buy', '125000.00', '1.00');
    for (const id of [bought.fills[0]!.tradeId, more.fills[0]!.tradeId]) {
      await eventually(async () => (await tp.api('GET', `/api/settlements/${id}`, large.token)).json<{ status: string }>().status === 'settled', `trade ${id} settled`);
    }
    const found = await eventually(async () => {
      const list = (await alerts('?rule=concentration&symbol=FARMLAND-PADDY')).filter((a) => a.participantIds.includes(large.id));
      return list.length > 0 ? list : undefined;
    }, 'concentration alert');
    expect(found).toEqual([expect.objectContaining({ participantIds: [large.id], details: expect.objectContaining({ kind: 'holdings', holding: '4.00', outstanding: '10.00', sharePct: '40.00' }) })]);
    expect((await alerts('?rule=concentration&symbol=FARMLAND-PADDY')).filter((a) => a.participantIds.includes(small.id))).toEqual([]);
  });
});

describe('trading statistics over a range of days', () => {
  it('reports volume and value by indicator type, prefecture and day, and the top participants', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const res = await tp.api('GET', `/api/regulator/stats/history?from=${today}&to=${today}&top=3`, tp.regulatorToken);
    expect(res.statusCode).toBe(200);
    const stats = res.json<{
      totals: { trades: number; value: string };
      byIndicatorType: Array<{ indicatorType: string; unit: string; volume: string; value: string; trades: number }>;
      byPrefecture: Array<{ prefecture: string; soldValue: string; boughtValue: string }>;
      byDay: Array<{ day: string; indicatorType: string; value: string }>;
      topParticipants: Array<{ name: string; value: string; boughtValue: string; soldValue: string; trades: number }>;
    }>();
    // FARMLAND-QTY 3.00 × 368,500.00 in 2 trades; FARMLAND-PADDY 6.00 × 125,000.00 in 3 (STP left CARBON-2024 untraded).
    expect(stats.totals).toEqual({ trades: 5, value: '1855500.00' });
    expect(stats.byIndicatorType).toEqual([{ indicatorType: 'farmland', unit: '亩', volume: '9.00', value: '1855500.00', trades: 5 }]);
    expect(stats.byPrefecture).toEqual([
      { prefecture: '鹰潭市', soldValue: '1105500.00', boughtValue: '1105500.00', tradesAsSeller: 2, tradesAsBuyer: 2 },
      { prefecture: '赣州市', soldValue: '750000.00', boughtValue: '750000.00', tradesAsSeller: 3, tradesAsBuyer: 3 },
    ]);
    expect(stats.byDay).toEqual([expect.objectContaining({ day: today, indicatorType: 'farmland', value: '1855500.00', trades: 5 })]);
    expect(stats.topParticipants.map((p) => [p.name, p.value])).toEqual([
      // Equal value: the lower participant id first.
      ['鹰潭市自然资源局', '1105500.00'],
      ['鹰潭城投集团有限公司', '1105500.00'],
      ['寻乌县自然资源局', '750000.00'],
    ]);

    const empty = (await tp.api('GET', '/api/regulator/stats/history?from=2020-01-01&to=2020-01-31', tp.regulatorToken)).json<{ totals: unknown; byDay: unknown[] }>();
    expect(empty).toMatchObject({ totals: { trades: 0, value: '0.00' }, byDay: [] });
    expect((await tp.api('GET', '/api/regulator/stats/history?from=2026-02-01&to=2026-01-01', tp.regulatorToken)).json()).toMatchObject({ statusCode: 400, code: 'INVALID_RANGE' });
    expect((await tp.api('GET', '/api/regulator/stats/history?from=2020-01-01&to=2026-01-01', tp.regulatorToken)).json()).toMatchObject({ statusCode: 400, code: 'RANGE_TOO_LONG' });
    expect((await tp.api('GET', '/api/regulator/stats/history?from=2026-02-30', tp.regulatorToken)).statusCode).toBe(400);
  });
});
