import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { cash, count, expectLedgerReconciles, expectRefusal, holding } from '../support/market.ts';

// Issue 13, item 1: a retried bank callback or a double click must not create money. Ten
// confirmations of one bank reference sent at once credit once; the others are told it was
// already confirmed. The same for registering a lot under one verification reference.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('money_idempotency', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000, LOT_DIRECT_REGISTRATION: 'on' });
});
afterAll(async () => {
  await tp?.close();
});

const deposit = (participantId: string, amount: string, reference: string) => tp.api('POST', '/api/admin/deposits', tp.operatorToken, { participantId, amount, reference });

const lot = (participantId: string, verificationRef: string, quantity = '1000') =>
  tp.api('POST', '/api/admin/lots', tp.operatorToken, {
    participantId,
    indicatorType: 'carbon_sink',
    symbol: 'CARBON-2024',
    quantity,
    region: '吉安市遂川县',
    sourceProject: '遂川县森林经营碳汇项目',
    verificationRef,
    vintage: 2024,
  });

describe('ten parallel deposits with one bank reference', () => {
  it('credit once; the other nine answer 409 DUPLICATE_DEPOSIT', async () => {
    const buyer = await tp.participant('enterprise');
    const replies = await Promise.all(Array.from({ length: 10 }, () => deposit(buyer.id, '1000.00', 'ICBC-20261204-0001')));

    expect(replies.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const refused of replies.filter((r) => r.statusCode === 409)) expectRefusal(refused, 409, 'DUPLICATE_DEPOSIT');
    expect(await cash(tp, buyer.token)).toEqual(['1000.00', '0.00']);
    expect(await count(tp, 'journal_transfers', `kind = 'deposit' AND reference = 'deposit:ICBC-20261204-0001'`)).toBe(1);
    expect(await count(tp, 'audit_log', `action = 'cash.deposit' AND subject = 'participant:${buyer.id}'`)).toBe(1);
    await expectLedgerReconciles(tp);
  });

  it('to different participants still credit only the first: a bank reference is one transfer', async () => {
    const [one, two] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => deposit(i % 2 ? one.id : two.id, '500.00', 'ABC-BURST-2')));

    expect(replies.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const credited = [...(await cash(tp, one.token)), ...(await cash(tp, two.token))];
    expect(credited.filter((c) => c === '500.00')).toHaveLength(1);
    await expectLedgerReconciles(tp);
  });

  it('a sequential retry is refused and names the confirmed deposit; other references still credit', async () => {
    const buyer = await tp.participant('enterprise');
    expect((await deposit(buyer.id, '250.00', 'CCB-RETRY-1')).statusCode).toBe(201);
    const retry = await deposit(buyer.id, '250.00', 'CCB-RETRY-1');
    expectRefusal(retry, 409, 'DUPLICATE_DEPOSIT');
    expect(retry.json<{ message: string }>().message).toContain('CCB-RETRY-1');
    expect((await deposit(buyer.id, '250.00', 'CCB-RETRY-2')).statusCode).toBe(201);
    expect(await cash(tp, buyer.token)).toEqual(['500.00', '0.00']);
  });
});

describe('ten parallel lot registrations with one verification reference', () => {
  it('register one lot and credit its quantity once; the others answer 409 DUPLICATE_LOT, never 500', async () => {
    const holder = await tp.participant('enterprise');
    const replies = await Promise.all(Array.from({ length: 10 }, () => lot(holder.id, '赣林碳验〔2026〕88号')));

    expect(replies.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const refused of replies.filter((r) => r.statusCode === 409)) expectRefusal(refused, 409, 'DUPLICATE_LOT');
    expect(await holding(tp, holder.token, 'CARBON-2024')).toEqual(['1000', '0']);
    expect(await count(tp, 'lots', `verification_ref = '赣林碳验〔2026〕88号'`)).toBe(1);
    expect(await count(tp, 'journal_transfers', `kind = 'lot_registration' AND reference = 'lot:赣林碳验〔2026〕88号'`)).toBe(1);
    await expectLedgerReconciles(tp);
  });
});
