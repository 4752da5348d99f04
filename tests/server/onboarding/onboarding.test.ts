import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { cash, expectLedgerReconciles, expectRefusal, holding, place, submit } from '../support/market.ts';
import { creditCodeCheckCharacter } from '../../../server/onboarding/credit-code.ts';
import { advanceTo, after, allowShortListings, createListing, ok, pinClock, register } from '../listings/listing-support.ts';

// Onboarding (issue 8): applications with a validated unified social credit code, decided by the
// operator; users with roles inside a participant; suspension cancels open orders, releases
// reservations and shuts the participant out, audited.

let tp: TestPlatform;
let serial = 0;

/** A valid code: division 360100 (南昌), a unique organisation code, its check character. */
const validCode = () => {
  serial += 1;
  const first17 = `91360100MA${String(serial).padStart(6, '0')}5`;
  return first17 + creditCodeCheckCharacter(first17);
};

const application = (overrides: Record<string, unknown> = {}) => ({
  legalName: `江西绿色发展测试有限公司${++serial}`,
  creditCode: validCode(),
  kind: 'enterprise',
  region: '南昌市红谷滩区',
  contact: { name: '王经理', phone: '0791-88886666', email: 'wang@example.cn' },
  username: `applicant${serial}`,
  password: PASSWORD,
  ...overrides,
});

beforeAll(async () => {
  tp = await startTestPlatform('onboarding', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
});
afterAll(async () => {
  await tp?.close();
});

describe('applications', () => {
  it('refuse an invalid unified social credit code', async () => {
    const good = validCode();
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    for (const creditCode of [wrongCheck, good.slice(0, 17), good.replace(/^9/, 'I'), good.toLowerCase(), '91360100MA0000000Z']) {
      expectRefusal(await tp.api('POST', '/api/onboarding/applications', tp.operatorToken, application({ creditCode })), 422, 'INVALID_CREDIT_CODE');
    }
    expect(await tp.running.platform.knex('participant_applications').count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
    // A well-known valid code passes the check.
    const res = await tp.api('POST', '/api/onboarding/applications', tp.operatorToken, application({ creditCode: '91350100M000100Y43' }));
    expect(res.statusCode, res.body).toBe(201);
  });

  it('admit the applicant only once the operator approves; a rejection carries its reason', async () => {
    const body = application();
    const applied = ok<{ id: string; status: string; creditCode: string }>(await tp.api('POST', '/api/onboarding/applications', tp.operatorToken, body), 201, 'apply');
    expect(applied).toMatchObject({ status: 'pending', creditCode: body.creditCode });
    expectRefusal(await tp.api('POST', '/api/onboarding/applications', tp.operatorToken, { ...application(), creditCode: body.creditCode }), 409, 'APPLICATION_EXISTS');
    // Not a participant yet: nobody can sign in for it.
    expectRefusal(await tp.api('POST', '/api/auth/login', null, { username: body.username, password: PASSWORD }), 401, 'INVALID_CREDENTIALS');
    expectRefusal(await tp.api('POST', `/api/onboarding/applications/${applied.id}/approve`, tp.regulatorToken, {}), 403, 'FORBIDDEN_ROLE');
    expectRefusal(await tp.api('POST', '/api/onboarding/applications', null, application()), 401, 'TOKEN_MISSING');

    const approved = ok<{ application: { status: string }; participant: { id: string; creditCode: string; status: string }; user: { role: string } }>(
      await tp.api('POST', `/api/onboarding/applications/${applied.id}/approve`, tp.operatorToken, { note: '材料齐全' }),
      200,
      'approve',
    );
    expect(approved).toMatchObject({ application: { status: 'approved' }, participant: { creditCode: body.creditCode, status: 'active' }, user: { role: 'admin' } });
    const login = ok<{ token: string; user: { participantId: string } }>(await tp.api('POST', '/api/auth/login', null, { username: body.username, password: PASSWORD }), 200, 'login');
    expect(login.user.participantId).toBe(approved.participant.id);
    const me = ok<{ user: { role: string }; participant: { id: string; creditCode: string } }>(await tp.api('GET', '/api/onboarding/me', login.token), 200, 'me');
    expect(me).toMatchObject({ user: { role: 'admin' }, participant: { id: approved.participant.id, creditCode: body.creditCode } });
    expectRefusal(await tp.api('POST', `/api/onboarding/applications/${applied.id}/approve`, tp.operatorToken, {}), 409, 'APPLICATION_DECIDED');

    const other = ok<{ id: string }>(await tp.api('POST', '/api/onboarding/applications', tp.operatorToken, application()), 201, 'apply');
    const rejected = ok<{ status: string; decisionReason: string }>(
      await tp.api('POST', `/api/onboarding/applications/${other.id}/reject`, tp.operatorToken, { reason: '营业执照已过期' }),
      200,
      'reject',
    );
    expect(rejected).toEqual(expect.objectContaining({ status: 'rejected', decisionReason: '营业执照已过期' }));
    const actions = await tp.running.platform.knex('audit_log').whereIn('subject', [`application:${applied.id}`, `application:${other.id}`]).orderBy('seq').pluck('action');
    expect(actions).toEqual(['participant.apply', 'participant.approve', 'participant.apply', 'participant.reject']);
  });
});

describe('users inside a participant', () => {
  it('a participant admin adds a trader and a viewer; a viewer cannot place orders', async () => {
    const firm = await tp.participant('enterprise');
    await tp.deposit(firm.id, '100000.00');
    const me = ok<{ user: { role: string } }>(await tp.api('GET', '/api/onboarding/me', firm.token), 200, 'me');
    expect(me.user.role).toBe('admin');
    ok(await tp.api('POST', `/api/onboarding/participants/${firm.id}/users`, firm.token, { username: `${firm.username}_t`, password: PASSWORD, role: 'trader' }), 201, 'add trader');
    ok(await tp.api('POST', `/api/onboarding/participants/${firm.id}/users`, tp.operatorToken, { username: `${firm.username}_v`, password: PASSWORD, role: 'viewer' }), 201, 'add viewer');
    const trader = await tp.login(`${firm.username}_t`);
    const viewer = await tp.login(`${firm.username}_v`);
    expect(ok<{ user: { role: string } }>(await tp.api('GET', '/api/onboarding/me', viewer), 200, 'me').user.role).toBe('viewer');

    expectRefusal(await submit(tp, viewer, { symbol: 'CARBON-2024', side: 'buy', price: '60.00', quantity: '10' }), 403, 'VIEWER_READ_ONLY');
    expect(await cash(tp, viewer)).toEqual(['100000.00', '0.00']);
    const order = await place(tp, trader, { symbol: 'CARBON-2024', side: 'buy', price: '60.00', quantity: '10' });
    expect(order.order.status).toBe('open');
    expectRefusal(await tp.api('DELETE', `/api/orders/${order.order.id}`, viewer), 403, 'VIEWER_READ_ONLY');
    // Only the participant admin (or the operator) manages users.
    expectRefusal(await tp.api('POST', `/api/onboarding/participants/${firm.id}/users`, trader, { username: `${firm.username}_x`, password: PASSWORD, role: 'admin' }), 403, 'NOT_PARTICIPANT_ADMIN');
    const users = ok<Array<{ username: string; role: string }>>(await tp.api('GET', `/api/onboarding/participants/${firm.id}/users`, firm.token), 200, 'users');
    expect(users.map((u) => [u.username, u.role])).toEqual([
      [firm.username, 'admin'],
      [`${firm.username}_t`, 'trader'],
      [`${firm.username}_v`, 'viewer'],
    ]);
    expectRefusal(await tp.api('PATCH', `/api/onboarding/participants/${firm.id}/users/${(await tp.running.platform.knex('users').where({ username: firm.username }).first('id')).id}`, firm.token, { role: 'trader' }), 422, 'LAST_ADMIN');
  });
});

describe('suspension', () => {
  it('cancels open orders, releases every reservation to the fen, and shuts the participant out until reinstated', async () => {
    pinClock(tp, new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3_600_000));
    await allowShortListings(tp, 'FARMLAND-QTY');
    const start = tp.running.platform.clock.now();
    const [firm, county, partner] = await Promise.all([tp.participant('enterprise'), tp.participant('government', '南丰县自然资源局', '抚州市南丰县'), tp.participant('enterprise')]);
    await tp.deposit(firm.id, '1000000.00');
    await tp.lot(firm.id, 'CARBON-2024', '150000');
    await tp.lot(county.id, 'FARMLAND-QTY', '5.00');
    await tp.deposit(partner.id, '10000000.00');

    // Open orders both sides, a listing margin and a block proposal.
    const bid = await place(tp, firm.token, { symbol: 'CARBON-2024', side: 'buy', price: '61.00', quantity: '100' });
    const ask = await place(tp, firm.token, { symbol: 'CARBON-2024', side: 'sell', price: '65.00', quantity: '50' });
    const listing = await createListing(tp, county.token, {
      symbol: 'FARMLAND-QTY',
      title: '南丰县耕地指标挂牌',
      quantity: '1.00',
      startPrice: '370000.00',
      bidIncrement: '1000.00',
      marginPct: '10',
      registrationOpensAt: after(start, 1).toISOString(),
      registrationClosesAt: after(start, 60).toISOString(),
      biddingOpensAt: after(start, 30).toISOString(),
      biddingClosesAt: after(start, 120).toISOString(),
    });
    await advanceTo(tp, after(start, 1));
    await register(tp, firm.token, listing.id);
    const block = ok<{ id: string }>(
      await tp.api('POST', '/api/blocks', firm.token, { symbol: 'CARBON-2024', side: 'sell', counterpartyId: partner.id, price: '62.00', quantity: '100000' }),
      201,
      'block',
    );
    expect(await cash(tp, firm.token)).toEqual(['956900.00', '43100.00']);
    expect(await holding(tp, firm.token, 'CARBON-2024')).toEqual(['49950', '100050']);

    const suspended = ok<{ status: string; statusReason: string; cancelledOrderIds: string[]; releasedReservationIds: string[] }>(
      await tp.api('POST', `/api/onboarding/participants/${firm.id}/suspend`, tp.operatorToken, { reason: '涉嫌违规交易，暂停交易资格' }),
      200,
      'suspend',
    );
    expect(suspended).toMatchObject({ status: 'suspended', statusReason: '涉嫌违规交易，暂停交易资格' });
    expect(suspended.cancelledOrderIds.sort()).toEqual([bid.order.id, ask.order.id].sort());
    expect(suspended.releasedReservationIds).toHaveLength(2);

    // Everything it had locked is back, to the fen; its orders are gone from the book.
    const ledger = await tp.running.platform.knex('accounts').where({ participant_id: firm.id }).orderBy('asset').select<Array<{ asset: string; available: string; locked: string }>>('asset', 'available', 'locked');
    expect(ledger.map((r) => [r.asset, Number(r.available), Number(r.locked)])).toEqual([
      ['CARBON-2024', 150000, 0],
      ['CNY', 1000000, 0],
    ]);
    const orders = await tp.running.platform.knex('orders').whereIn('id', [bid.order.id, ask.order.id]).pluck('cancel_reason');
    expect(orders).toEqual(['suspended', 'suspended']);
    const depth = (await tp.api('GET', '/api/instruments/CARBON-2024/book')).json<{ bids: Array<{ price: string }>; asks: Array<{ price: string }> }>();
    expect(depth.bids.map((l) => l.price)).not.toContain('61.00');
    expect(depth.asks).toEqual([]);
    expect(await tp.running.platform.knex('listing_registrations').where({ listing_id: listing.id, participant_id: firm.id }).pluck('status')).toEqual(['withdrawn']);
    expect(await tp.running.platform.knex('block_trades').where({ id: block.id }).pluck('status')).toEqual(['cancelled']);

    // Its existing token is refused, and it cannot sign in again.
    expectRefusal(await submit(tp, firm.token, { symbol: 'CARBON-2024', side: 'buy', price: '61.00', quantity: '1' }), 403, 'PARTICIPANT_SUSPENDED');
    expectRefusal(await tp.api('GET', '/api/account', firm.token), 403, 'PARTICIPANT_SUSPENDED');
    expectRefusal(await tp.api('POST', '/api/auth/login', null, { username: firm.username, password: PASSWORD }), 401, 'PARTICIPANT_SUSPENDED');
    const audit = await tp.running.platform.knex('audit_log').where({ action: 'participant.suspend', subject: `participant:${firm.id}` }).first<{ payload: { cancelledOrders: string[]; reason: string } }>('payload');
    expect(audit?.payload).toMatchObject({ reason: '涉嫌违规交易，暂停交易资格' });
    await expectLedgerReconciles(tp);

    // Suspension survives a restart; reinstatement lets it trade again.
    await tp.restart();
    expectRefusal(await submit(tp, firm.token, { symbol: 'CARBON-2024', side: 'buy', price: '61.00', quantity: '1' }), 403, 'PARTICIPANT_SUSPENDED');
    ok(await tp.api('POST', `/api/onboarding/participants/${firm.id}/reinstate`, tp.operatorToken, { reason: '核查完毕' }), 200, 'reinstate');
    const token = await tp.login(firm.username);
    expect((await place(tp, token, { symbol: 'CARBON-2024', side: 'buy', price: '61.00', quantity: '1' })).order.status).toBe('open');
    await expectLedgerReconciles(tp);
  });
});
