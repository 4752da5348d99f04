import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { cash, count, expectRefusal } from '../support/market.ts';

// Issue 13, item 8: what a deposit may not do — reach a suspended participant.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('deposit_rules', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
});
afterAll(async () => {
  await tp?.close();
});

const deposit = (participantId: string, amount: string, reference: string) => tp.api('POST', '/api/admin/deposits', tp.operatorToken, { participantId, amount, reference });
const cashRow = (participantId: string) => tp.running.platform.knex('accounts').where({ participant_id: participantId, asset: 'CNY' }).first<{ available: string; locked: string }>('available', 'locked');

describe('a deposit to a suspended participant', () => {
  it('is refused with 409 PARTICIPANT_SUSPENDED and changes nothing; after reinstatement the same reference credits', async () => {
    const firm = await tp.participant('enterprise');
    await tp.deposit(firm.id, '100.00');
    const suspend = await tp.api('POST', `/api/onboarding/participants/${firm.id}/suspend`, tp.operatorToken, { reason: '涉嫌违规交易，暂停交易资格' });
    expect(suspend.statusCode, suspend.body).toBe(200);
    const before = { account: await cashRow(firm.id), transfers: await count(tp, 'journal_transfers'), audit: await count(tp, 'audit_log') };

    expectRefusal(await deposit(firm.id, '5000.00', 'BOC-SUSP-1'), 409, 'PARTICIPANT_SUSPENDED');

    expect({ account: await cashRow(firm.id), transfers: await count(tp, 'journal_transfers'), audit: await count(tp, 'audit_log') }).toEqual(before);
    const reinstate = await tp.api('POST', `/api/onboarding/participants/${firm.id}/reinstate`, tp.operatorToken, { reason: '调查结束，恢复交易' });
    expect(reinstate.statusCode, reinstate.body).toBe(200);
    expect((await deposit(firm.id, '5000.00', 'BOC-SUSP-1')).statusCode).toBe(201);
    expect(await cash(tp, firm.token)).toEqual(['5100.00', '0.00']);
  });
});

describe('the deposit cap', () => {
  const cap = (body: unknown, token = tp.operatorToken) => tp.api('PUT', '/api/admin/deposit-cap', token, body);

  it('is none until an operator sets one; then a deposit over it is refused with 422 DEPOSIT_OVER_CAP and changes nothing', async () => {
    const firm = await tp.participant('enterprise');
    expect((await tp.api('GET', '/api/admin/deposit-cap', tp.operatorToken)).json()).toEqual({ maxAmount: null });
    expect((await deposit(firm.id, '9000000.00', 'CAP-NONE-1')).statusCode).toBe(201);

    const set = await cap({ maxAmount: '5000000' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ maxAmount: '5000000.00' });
    expect((await tp.api('GET', '/api/admin/deposit-cap', tp.operatorToken)).json()).toEqual({ maxAmount: '5000000.00' });

    const before = { account: await cashRow(firm.id), transfers: await count(tp, 'journal_transfers') };
    const over = await deposit(firm.id, '5000000.01', 'CAP-OVER-1');
    expectRefusal(over, 422, 'DEPOSIT_OVER_CAP');
    expect(over.json<{ message: string }>().message).toContain('5000000.00');
    expect({ account: await cashRow(firm.id), transfers: await count(tp, 'journal_transfers') }).toEqual(before);

    expect((await deposit(firm.id, '5000000.00', 'CAP-AT-1')).statusCode).toBe(201);
    expect(await cash(tp, firm.token)).toEqual(['14000000.00', '0.00']);
    // The refused reference was not used up.
    expect((await cap({ maxAmount: null })).json()).toEqual({ maxAmount: null });
    expect((await deposit(firm.id, '5000000.01', 'CAP-OVER-1')).statusCode).toBe(201);
    expect(await count(tp, 'audit_log', `action = 'deposit.cap'`)).toBe(2);
  });

  it('refuses a bad cap and anyone but the operator, changing nothing', async () => {
    const firm = await tp.participant('enterprise');
    await cap({ maxAmount: '1000.00' });
    expectRefusal(await cap({ maxAmount: '0' }), 422, 'INVALID_AMOUNT');
    expectRefusal(await cap({ maxAmount: '10.001' }), 422, 'INVALID_AMOUNT');
    expectRefusal(await cap({ maxAmount: 5000 }), 400, 'INVALID_DECIMAL');
    expectRefusal(await cap({ maxAmount: '5000', extra: 1 }), 400, 'UNKNOWN_FIELD');
    expectRefusal(await cap({}), 400, 'VALIDATION_FAILED');
    expectRefusal(await cap({ maxAmount: '99999999.00' }, tp.regulatorToken), 403, 'FORBIDDEN_ROLE');
    expectRefusal(await cap({ maxAmount: '99999999.00' }, firm.token), 403, 'FORBIDDEN_ROLE');
    expect((await tp.api('GET', '/api/admin/deposit-cap', tp.operatorToken)).json()).toEqual({ maxAmount: '1000.00' });
    await cap({ maxAmount: null });
  });
});
