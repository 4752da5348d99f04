import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

// Issue 13, item 3: outside a demo no regulator exists until an operator creates one, with a
// password the server checks; only operators may, and each creation is audited.

const STRONG = 'Wuyi-mountain-audit-2026';
let tp: TestPlatform;
beforeAll(async () => {
  tp = await startTestPlatform('staff');
});
afterAll(async () => {
  await tp?.close();
});

const staffCount = async () => (await tp.running.platform.knex('users').whereIn('role', ['operator', 'regulator']).count<[{ count: string }]>('id as count'))[0]!.count;

describe('POST /api/admin/staff', () => {
  it('refuses weak passwords, other roles and taken usernames, changing nothing', async () => {
    const gov = await tp.participant('government');
    const before = await staffCount();
    const cases: Array<[string | null, object, number, string]> = [
      [tp.operatorToken, { username: 'jx-regulator', password: 'short-pw', role: 'regulator' }, 422, 'PASSWORD_TOO_SHORT'],
      [tp.operatorToken, { username: 'jx-regulator-01', password: 'jx-regulator-01', role: 'regulator' }, 422, 'PASSWORD_CONTAINS_USERNAME'],
      [tp.operatorToken, { username: 'operator', password: STRONG, role: 'operator' }, 409, 'DUPLICATE_USERNAME'],
      [tp.operatorToken, { username: 'jx-admin', password: STRONG, role: 'participant' }, 400, 'VALIDATION_FAILED'],
      [tp.regulatorToken, { username: 'jx-regulator', password: STRONG, role: 'regulator' }, 403, 'FORBIDDEN_ROLE'],
      [gov.token, { username: 'jx-regulator', password: STRONG, role: 'operator' }, 403, 'FORBIDDEN_ROLE'],
      [null, { username: 'jx-regulator', password: STRONG, role: 'operator' }, 401, 'TOKEN_MISSING'],
    ];
    for (const [token, body, status, code] of cases) {
      const res = await tp.api('POST', '/api/admin/staff', token, body);
      expect({ body, status: res.statusCode, code: res.json<{ code: string }>().code }).toEqual({ body, status, code });
    }
    expect(await staffCount()).toBe(before);
  });

  it('creates a regulator who signs in with the chosen password, and audits who did it', async () => {
    const res = await tp.api('POST', '/api/admin/staff', tp.operatorToken, { username: 'jx-regulator', password: STRONG, role: 'regulator' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ username: 'jx-regulator', role: 'regulator' });
    const token = await tp.login('jx-regulator', STRONG);
    expect((await tp.api('GET', '/api/regulator/alerts', token)).statusCode).toBe(200);
    const listed = (await tp.api('GET', '/api/admin/staff', tp.operatorToken)).json<Array<{ username: string; role: string }>>();
    expect(listed.map((u) => `${u.username}:${u.role}`)).toEqual(['operator:operator', 'regulator:regulator', 'jx-regulator:regulator']);
    const audit = await tp.running.platform.knex('audit_log').where({ action: 'staff.create' }).select('actor', 'payload');
    expect(audit).toEqual([{ actor: 'operator', payload: { username: 'jx-regulator', role: 'regulator' } }]);
  });
});
