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
