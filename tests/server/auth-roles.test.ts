import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { expectRefusal, place } from './support/market.ts';

// Issue 2, Build 5: login returns a bearer token; roles participant (government / enterprise),
// regulator and operator; every route checks its role.

let tp: TestPlatform;
let gov: { id: string; token: string; username: string };
let ent: { id: string; token: string; username: string };
let outsider: { id: string; token: string; username: string };
let tradeId: string;

beforeAll(async () => {
  tp = await startTestPlatform('auth-roles', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000, LOT_DIRECT_REGISTRATION: 'on' });
  [gov, ent, outsider] = await Promise.all([
    tp.participant('government', '婺源县自然资源局'),
    tp.participant('enterprise', '江西省交通投资集团有限责任公司', '南昌市东湖区'),
    tp.participant('enterprise'),
  ]);
  await tp.lot(gov.id, 'FARMLAND-QTY', '5.00');
  await tp.deposit(ent.id, '1000000.00');
  await place(tp, gov.token, { symbol: 'FARMLAND-QTY', side: 'sell', price: '368500.00', quantity: '1.00' });
  tradeId = (await place(tp, ent.token, { symbol: 'FARMLAND-QTY', side: 'buy', price: '368500.00', quantity: '0.50' })).fills[0]!.tradeId;
});
afterAll(async () => {
  await tp?.close();
});

describe('login', () => {
  it('returns a token and the user; the token identifies the caller on /api/auth/me', async () => {
    const res = await tp.api('POST', '/api/auth/login', null, { username: gov.username, password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ token: string; user: { id: string; username: string; role: string; participantId: string | null } }>();
    expect(body.user).toEqual({ id: expect.stringMatching(/^\d+$/), username: gov.username, role: 'participant', participantId: gov.id, mustChangePassword: false });
    // A JWS signed with the pinned algorithm.
    expect(JSON.parse(Buffer.from(body.token.split('.')[0]!, 'base64url').toString('utf8'))).toMatchObject({ alg: 'HS256' });

    const me = await tp.api('GET', '/api/auth/me', body.token);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      ...body.user,
      participant: { id: gov.id, name: '婺源县自然资源局', kind: 'government', region: '上饶市婺源县', prefecture: expect.any(String) },
    });
  });

  it('works for staff, who belong to no participant', async () => {
    for (const [username, role] of [
      ['operator', 'operator'],
      ['regulator', 'regulator'],
    ] as const) {
      const token = await tp.login(username);
      const me = (await tp.api('GET', '/api/auth/me', token)).json<Record<string, unknown>>();
      expect(me).toMatchObject({ username, role, participantId: null, participant: null });
    }
  });

  it('refuses a wrong password and an unknown user alike: 401 INVALID_CREDENTIALS, same message', async () => {
    const wrongPassword = await tp.api('POST', '/api/auth/login', null, { username: gov.username, password: 'not-the-password' });
    const unknownUser = await tp.api('POST', '/api/auth/login', null, { username: `nobody_${randomBytes(3).toString('hex')}`, password: PASSWORD });
    expectRefusal(wrongPassword, 401, 'INVALID_CREDENTIALS');
    expectRefusal(unknownUser, 401, 'INVALID_CREDENTIALS');
    expect(unknownUser.json()).toEqual(wrongPassword.json());
    // Usernames are one name whatever the case (issue 13): another case signs in the same user.
    const shouted = await tp.api('POST', '/api/auth/login', null, { username: gov.username.toUpperCase(), password: PASSWORD });
    expect(shouted.json<{ user: { username: string } }>().user.username).toBe(gov.username);
  });

  it('refuses malformed login bodies', async () => {
    expectRefusal(await tp.api('POST', '/api/auth/login', null, { username: gov.username, password: PASSWORD, role: 'operator' }), 400, 'UNKNOWN_FIELD');
    expectRefusal(await tp.api('POST', '/api/auth/login', null, { username: gov.username }), 400, 'VALIDATION_FAILED');
    expectRefusal(await tp.api('POST', '/api/auth/login', null, { username: gov.username, password: '' }), 400, 'VALIDATION_FAILED');
  });

  it('tokens outlive a restart (the signing secret is kept in PostgreSQL)', async () => {
    const token = await tp.login(ent.username);
    await tp.restart();
    expect((await tp.api('GET', '/api/account', token)).statusCode).toBe(200);
  });
});

type Role = 'participant' | 'regulator' | 'operator';
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface Route {
  method: Method;
  path: string;
  body?: () => unknown;
  allowed: Role[];
  ok: number;
}

let counter = 0;
const next = () => `${++counter}${randomBytes(2).toString('hex')}`;
const routes: Route[] = [
  { method: 'GET', path: '/api/auth/me', allowed: ['participant', 'regulator', 'operator'], ok: 200 },
  { method: 'POST', path: '/api/orders', body: () => ({ symbol: 'CARBON-2024', side: 'buy', type: 'limit', price: '60.00', quantity: '1', timeInForce: 'GTC' }), allowed: ['participant'], ok: 201 },
  { method: 'GET', path: '/api/orders', allowed: ['participant'], ok: 200 },
  { method: 'GET', path: '/api/account', allowed: ['participant'], ok: 200 },
  { method: 'GET', path: '/api/account/trades', allowed: ['participant'], ok: 200 },
  { method: 'GET', path: '/api/account/ledger', allowed: ['participant'], ok: 200 },
  { method: 'GET', path: '/api/settlements/:tradeId', allowed: ['participant', 'regulator', 'operator'], ok: 200 },
  {
    method: 'POST',
    path: '/api/admin/participants',
    body: () => ({ name: `上饶市测试企业${next()}`, kind: 'enterprise', region: '上饶市信州区', username: `admitted_${next()}`, password: 'a-long-password' }),
    allowed: ['operator'],
    ok: 201,
  },
  { method: 'GET', path: '/api/admin/participants', allowed: ['operator', 'regulator'], ok: 200 },
  { method: 'POST', path: '/api/admin/deposits', body: () => ({ participantId: outsider.id, amount: '10.00', reference: `ROLE-${next()}` }), allowed: ['operator'], ok: 201 },
  {
    method: 'POST',
    path: '/api/admin/lots',
    body: () => ({ participantId: outsider.id, indicatorType: 'carbon_sink', symbol: 'CARBON-2024', quantity: '1', region: '宜春市', sourceProject: '林业碳汇项目', verificationRef: `ROLE-${next()}`, vintage: 2024 }),
    allowed: ['operator'],
    ok: 201,
  },
  { method: 'GET', path: '/api/admin/lots', allowed: ['operator', 'regulator'], ok: 200 },
  { method: 'POST', path: '/api/regulator/instruments/WETLAND/halt', body: () => ({ reason: '权限测试' }), allowed: ['regulator'], ok: 200 },
  { method: 'POST', path: '/api/regulator/instruments/WETLAND/resume', body: () => ({ reason: '权限测试' }), allowed: ['regulator'], ok: 200 },
  { method: 'GET', path: '/api/regulator/audit', allowed: ['regulator'], ok: 200 },
  { method: 'GET', path: '/api/regulator/audit/verify', allowed: ['regulator'], ok: 200 },
  { method: 'GET', path: '/api/regulator/trades', allowed: ['regulator'], ok: 200 },
  { method: 'GET', path: '/api/regulator/orders', allowed: ['regulator'], ok: 200 },
  { method: 'GET', path: '/api/regulator/stats', allowed: ['regulator'], ok: 200 },
  { method: 'GET', path: '/api/regulator/reconciliation', allowed: ['regulator', 'operator'], ok: 200 },
];

describe('every route checks its role', () => {
  const tokenOf = (role: Role) => (role === 'participant' ? ent.token : role === 'regulator' ? tp.regulatorToken : tp.operatorToken);

  it.each(routes)('$method $path: $allowed', async (route) => {
    const call = (token: string | null) => tp.api(route.method, route.path.replace(':tradeId', tradeId), token, route.body?.());
    expectRefusal(await call(null), 401, 'TOKEN_MISSING');
    for (const role of ['participant', 'regulator', 'operator'] as const) {
      const res = await call(tokenOf(role));
      if (route.allowed.includes(role)) expect({ role, status: res.statusCode }, res.body).toEqual({ role, status: route.ok });
      else expectRefusal(res, 403, 'FORBIDDEN_ROLE');
    }
  });

  it('a settlement is visible to its parties, not to another participant', async () => {
    expect((await tp.api('GET', `/api/settlements/${tradeId}`, gov.token)).statusCode).toBe(200);
    expectRefusal(await tp.api('GET', `/api/settlements/${tradeId}`, outsider.token), 403, 'NOT_A_PARTY');
  });

  it('every GET or DELETE route the API documents as secured refuses a request without a token', async () => {
    const spec = (tp.running.app as unknown as { swagger(): { paths: Record<string, Record<string, { security?: unknown[] }>> } }).swagger();
    const secured: string[] = [];
    const open: string[] = [];
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if ((op.security ?? []).length === 0) open.push(`${method.toUpperCase()} ${path}`);
        else if (method === 'get' || method === 'delete') secured.push(`${method.toUpperCase()} ${path}`);
      }
    }
    // Only sign-in (and refresh and sign-out, which go by the session cookie), the first operator's setup (refused once an operator exists), public
    // market data and public sale announcements (公告 and results, by law open to all) are open.
    for (const route of open) expect(route).toMatch(/^(POST \/api\/(auth\/(login|refresh|logout)|setup\/operator)|GET \/api\/(health|platform|demo-users|divisions|instruments(\/\{symbol\}\/(book|trades|candles))?|simulation\/clock|public\/(market|listings(\/(results|\{id\}))?|demand-listings|instruments\/\{symbol\}\/daily(\.csv)?)))$/);
    expect(secured.length).toBeGreaterThan(10);
    for (const route of secured) {
      const [method, path] = route.split(' ') as [Method, string];
      const res = await tp.api(method, path.replace(/\{[^}]+\}/g, '1'), null);
      expect({ route, status: res.statusCode, code: res.json<{ code: string }>().code }).toEqual({ route, status: 401, code: 'TOKEN_MISSING' });
    }
  });
});

describe('login rate limit', () => {
  let limited: TestPlatform;
  beforeAll(async () => {
    // The harness signs in operator and regulator: 2 of the 5 allowed this minute.
    limited = await startTestPlatform('auth-rate', { LOGIN_RATE_LIMIT_PER_MINUTE: 5 });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('stops password guessing: after the limit even the right password is refused 429', async () => {
    const guesses = [];
    for (let i = 0; i < 3; i++) guesses.push((await limited.api('POST', '/api/auth/login', null, { username: 'operator', password: `guess-${i}` })).statusCode);
    expect(guesses).toEqual([401, 401, 401]);
    const res = await limited.api('POST', '/api/auth/login', null, { username: 'operator', password: PASSWORD });
    expect(res.statusCode).toBe(429);
    expect(res.json<{ statusCode: number; code: string; message: string }>()).toEqual({ statusCode: 429, code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) });
  });
});
