import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { count, expectRefusal } from '../support/market.ts';

// Issue 13, item 8: `Operator` must not be created beside `operator` — a look-alike account is a
// phishing tool. Usernames are one name whatever the case, and sign-in accepts any case.

let tp: TestPlatform;

beforeAll(async () => {
  tp = await startTestPlatform('username_case', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
});
afterAll(async () => {
  await tp?.close();
});

const STAFF_PASSWORD = 'Jiangxi-ops-2026-strong';
const staff = (username: string) => tp.api('POST', '/api/admin/staff', tp.operatorToken, { username, password: STAFF_PASSWORD, role: 'regulator' });
const participant = (username: string, name: string) =>
  tp.api('POST', '/api/admin/participants', tp.operatorToken, { name, kind: 'enterprise', region: '南昌市', username, password: PASSWORD });

describe('a username that differs from a taken one only in case', () => {
  it('is refused for staff with 409 DUPLICATE_USERNAME and creates nothing', async () => {
    const users = await count(tp, 'users');
    expectRefusal(await staff('Operator'), 409, 'DUPLICATE_USERNAME');
    expectRefusal(await staff('REGULATOR'), 409, 'DUPLICATE_USERNAME');
    expect(await count(tp, 'users')).toBe(users);
  });

  it('is refused for a participant’s first user and for a user added to a participant, with nothing created', async () => {
    expect((await participant('ncjt_buyer', '南昌某投资有限公司')).statusCode).toBe(201);
    const before = { users: await count(tp, 'users'), participants: await count(tp, 'participants') };
    expectRefusal(await participant('NCJT_Buyer', '南昌另一投资有限公司'), 409, 'DUPLICATE_USERNAME');
    const firm = await tp.participant('enterprise');
    const added = await tp.api('POST', `/api/onboarding/participants/${firm.id}/users`, tp.operatorToken, { username: 'Ncjt_BUYER', password: PASSWORD, role: 'trader' });
    expectRefusal(added, 409, 'DUPLICATE_USERNAME');
    expect({ users: await count(tp, 'users'), participants: await count(tp, 'participants') }).toEqual({ users: before.users + 1, participants: before.participants + 1 });
  });

  it('sent in ten spellings at once creates one account', async () => {
    const spellings = ['auditor', 'Auditor', 'AUDITOR', 'aUditor', 'auDitor', 'audItor', 'audiTor', 'auditOr', 'auditoR', 'AuditoR'];
    const replies = await Promise.all(spellings.map((name) => staff(name)));
    expect(replies.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const refused of replies.filter((r) => r.statusCode === 409)) expectRefusal(refused, 409, 'DUPLICATE_USERNAME');
    expect(await count(tp, 'users', `lower(username) = 'auditor'`)).toBe(1);
  });
});

describe('sign-in', () => {
  it('finds the account whatever the case of the username', async () => {
    for (const name of ['operator', 'Operator', 'OPERATOR']) {
      const res = await tp.api('POST', '/api/auth/login', null, { username: name, password: PASSWORD });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ user: { username: string; role: string } }>().user).toMatchObject({ username: 'operator', role: 'operator' });
    }
  });
});
