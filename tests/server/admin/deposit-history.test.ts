import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { expectRefusal } from '../support/market.ts';

// Issue 20, item 11: 确认入金 has a history — what was credited, to whom, under which bank
// reference, by which operator and when — so a second operator can check the first one's work.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('deposit_history');
});
afterAll(async () => {
  await tp?.close();
});

interface Deposit {
  transferId: string;
  participantId: string;
  participant: string;
  amount: string;
  reference: string;
  confirmedBy: string | null;
  confirmedAt: string;
}

const deposit = (participantId: string, amount: string, reference: string) => tp.api('POST', '/api/admin/deposits', tp.operatorToken, { participantId, amount, reference });
const history = async (query = '', token = tp.operatorToken) => {
  const res = await tp.api('GET', `/api/admin/deposits${query}`, token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Deposit[]>();
};

describe('the deposit history', () => {
  it('lists confirmed deposits newest first with participant, bank reference, operator and time; refused ones never appear', async () => {
    const a = await tp.participant('enterprise');
    const b = await tp.participant('government');
    const started = Date.now();
    expect((await deposit(a.id, '1200.50', 'ICBC-HIST-1')).statusCode).toBe(201);
    expect((await deposit(b.id, '300000.00', 'CCB-HIST-2')).statusCode).toBe(201);
    expectRefusal(await deposit(a.id, '99.00', 'ICBC-HIST-1'), 409, 'DUPLICATE_DEPOSIT');

    const mine = (await history()).filter((d) => d.participantId === a.id || d.participantId === b.id);
    expect(mine.map(({ participantId, amount, reference, confirmedBy }) => ({ participantId, amount, reference, confirmedBy }))).toEqual([
      { participantId: b.id, amount: '300000.00', reference: 'CCB-HIST-2', confirmedBy: 'operator' },
      { participantId: a.id, amount: '1200.50', reference: 'ICBC-HIST-1', confirmedBy: 'operator' },
    ]);
    expect(mine.every((d) => Date.parse(d.confirmedAt) >= started - 1000 && d.participant.length > 0)).toBe(true);
    expect(Number(mine[0]!.transferId)).toBeGreaterThan(Number(mine[1]!.transferId));
  });

  it('filters by participant and limits the count', async () => {
    const c = await tp.participant('enterprise');
    for (const n of [1, 2, 3]) expect((await deposit(c.id, `${n}00.00`, `ABC-LIMIT-${n}`)).statusCode).toBe(201);
    const only = await history(`?participantId=${c.id}`);
    expect(only.map((d) => d.reference)).toEqual(['ABC-LIMIT-3', 'ABC-LIMIT-2', 'ABC-LIMIT-1']);
    expect((await history(`?participantId=${c.id}&limit=2`)).map((d) => d.amount)).toEqual(['300.00', '200.00']);
  });

  it('is for operators and regulators; bad filters are refused', async () => {
    const firm = await tp.participant('enterprise');
    expectRefusal(await tp.api('GET', '/api/admin/deposits', firm.token), 403, 'FORBIDDEN_ROLE');
    expect((await tp.api('GET', '/api/admin/deposits', tp.regulatorToken)).statusCode).toBe(200);
    expectRefusal(await tp.api('GET', '/api/admin/deposits?participantId=abc', tp.operatorToken), 400, 'VALIDATION_FAILED');
    expectRefusal(await tp.api('GET', '/api/admin/deposits?limit=0', tp.operatorToken), 400, 'VALIDATION_FAILED');
  });
});
