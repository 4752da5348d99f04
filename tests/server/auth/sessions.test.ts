import type { LightMyRequestResponse } from 'fastify';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../../server/platform-factory.ts';
import { SESSION_CACHE_MS } from '../../../server/auth/session-gate.ts';
import { eventually, PASSWORD, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { connect, inboxOf } from '../live/live-support.ts';

// Issue 13, item 2: sessions that can be cut. Short access tokens name a session that every
// request checks; a rotating refresh token in an HttpOnly cookie; logout, role change, disable,
// password change and reset end sessions at once on every node, over HTTP and sockets.

const COOKIE = 'ecorights_refresh';
const NEW_PASSWORD = 'Lushan-cloud-terrace-48';

let tp: TestPlatform;
let url: string;
let second: RunningPlatform;
let secondUrl: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  // Many sign-ins from one test address: the per-address limit is another test's subject.
  tp = await startTestPlatform('auth-sessions', { LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  url = await tp.running.listen();
  // A second node on the same database and Redis prefix, as behind a load balancer.
  second = await startPlatform(tp.config, { logger: false });
  secondUrl = await second.listen();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await second?.close();
  await tp?.close();
});

interface Signed {
  token: string;
  cookie: string;
  user: { id: string; username: string; mustChangePassword: boolean };
}

const cookieOf = (res: LightMyRequestResponse) => (res.cookies as Array<{ name: string; value: string; secure?: boolean }>).find((c) => c.name === COOKIE);

async function signIn(username: string, password = PASSWORD, node: RunningPlatform = tp.running): Promise<Signed> {
  const res = await node.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  expect(res.statusCode, res.body).toBe(200);
  return { ...res.json<Omit<Signed, 'cookie'>>(), cookie: cookieOf(res)!.value };
}
const refresh = (cookie: string | null, node: RunningPlatform = tp.running) =>
  node.app.inject({ method: 'POST', url: '/api/auth/refresh', ...(cookie ? { cookies: { [COOKIE]: cookie } } : {}) });
const get = (token: string, path: string, node: RunningPlatform = tp.running) => node.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
const code = (res: LightMyRequestResponse) => ({ status: res.statusCode, code: res.json<{ code?: string }>().code });
const open = async (base: string, namespace: '/account' | '/regulator', token: string) => {
  const socket = await connect(base, namespace, token);
  sockets.push(socket);
  return socket;
};
const usersRows = () => tp.running.platform.knex('users').orderBy('id').select('id', 'username', 'password_hash', 'participant_role', 'disabled_at', 'must_change_password');

/** A participant with two admins (so one may demote the other) and a trader. */
async function participantWithStaff() {
  const p = await tp.participant('enterprise');
  const add = async (role: 'admin' | 'trader') => {
    const username = `${role}_${p.id}_${Math.random().toString(36).slice(2, 6)}`;
    const res = await tp.api('POST', `/api/onboarding/participants/${p.id}/users`, p.token, { username, password: PASSWORD, role });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json<{ id: string }>().id, username };
  };
  const admin2 = await add('admin');
  const trader = await add('trader');
  const me = await tp.api('GET', '/api/auth/me', p.token);
  return { participantId: p.id, admin: { id: me.json<{ id: string }>().id, username: p.username }, admin2, trader };
}

describe('the refresh cookie', () => {
  it('is HttpOnly, SameSite=Strict, scoped to /api/auth, and Secure unless the browser came over plain http on loopback', async () => {
    const local = await tp.running.app.inject({ method: 'POST', url: '/api/auth/login', headers: { host: '127.0.0.1:3000' }, payload: { username: 'regulator', password: PASSWORD } });
    expect(cookieOf(local)).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });
    expect(cookieOf(local)!.secure).toBeFalsy();
    const remote = await tp.running.app.inject({ method: 'POST', url: '/api/auth/login', headers: { host: 'exchange.example.cn' }, payload: { username: 'regulator', password: PASSWORD } });
    expect(cookieOf(remote)).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth', secure: true });
    // The access token names the user and the session, nothing it could keep after a change.
    const claims = JSON.parse(Buffer.from(remote.json<{ token: string }>().token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'iss', 'sid', 'sub']);
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(900);
  });
});

describe('refresh rotation', () => {
  it('answers a new access token and a new cookie; the spent cookie works once more only within the grace for parallel tabs', async () => {
    const s = await signIn('regulator');
    const first = await refresh(s.cookie);
    expect(first.statusCode, first.body).toBe(200);
    const rotated = cookieOf(first)!.value;
    expect(rotated).not.toBe(s.cookie);
    expect((await get(first.json<{ token: string }>().token, '/api/auth/me')).statusCode).toBe(200);

    // A second tab sent the old cookie at the same moment: it gets an access token, no cookie.
    const parallel = await refresh(s.cookie);
    expect(parallel.statusCode).toBe(200);
    expect(cookieOf(parallel)).toBeUndefined();
    expect((await refresh(rotated)).statusCode).toBe(200);
    expect(code(await refresh('A'.repeat(43)))).toEqual({ status: 401, code: 'SESSION_ENDED' });
    expect(code(await refresh(null))).toEqual({ status: 401, code: 'REFRESH_MISSING' });
  });

  it('revokes the whole session when a spent refresh token comes back after the grace', async () => {
    const s = await signIn('regulator');
    const next = await refresh(s.cookie);
    const latest = cookieOf(next)!.value;
    const latestAccess = next.json<{ token: string }>().token;
    // The spent token was spent a minute ago (what an attacker replaying a stolen copy looks like).
    await tp.running.platform.knex('auth_refresh_tokens').whereNotNull('used_at').update({ used_at: tp.running.platform.knex.raw(`now() - interval '1 minute'`) });

    expect(code(await refresh(s.cookie))).toEqual({ status: 401, code: 'REFRESH_REUSED' });
    // Everything of that session is dead at once: its newest cookie and every access token.
    expect(code(await refresh(latest))).toEqual({ status: 401, code: 'SESSION_ENDED' });
    expect(code(await get(latestAccess, '/api/auth/me'))).toEqual({ status: 401, code: 'SESSION_ENDED' });
    expect(code(await get(s.token, '/api/auth/me', second))).toEqual({ status: 401, code: 'SESSION_ENDED' });
    // Other sessions of the same user are not touched.
    expect((await get(tp.regulatorToken, '/api/auth/me')).statusCode).toBe(200);
  });
});

describe('logout', () => {
  it('ends the session: its access token, its refresh cookie and its socket, on both nodes', async () => {
    const s = await signIn('regulator');
    const other = await signIn('regulator');
    expect((await get(s.token, '/api/regulator/alerts', second)).statusCode).toBe(200);
    const socket = await open(secondUrl, '/regulator', s.token);
    const ended = inboxOf(socket).wait('session_ended', 1, () => true, 5_000);

    const out = await tp.running.app.inject({ method: 'POST', url: '/api/auth/logout', cookies: { [COOKIE]: s.cookie }, payload: {} });
    expect(out.statusCode).toBe(204);
    expect(cookieOf(out)).toMatchObject({ value: '', path: '/api/auth' });

    expect(code(await get(s.token, '/api/regulator/alerts'))).toEqual({ status: 401, code: 'SESSION_ENDED' });
    expect(code(await get(s.token, '/api/regulator/alerts', second))).toEqual({ status: 401, code: 'SESSION_ENDED' });
    expect(code(await refresh(s.cookie))).toEqual({ status: 401, code: 'SESSION_ENDED' });
    expect((await ended)[0]).toEqual({ statusCode: 401, code: 'SESSION_ENDED', message: expect.any(String) });
    // Signing out here does not sign the user out elsewhere.
    expect((await get(other.token, '/api/regulator/alerts')).statusCode).toBe(200);
  });

  it('by bearer token alone also ends the session', async () => {
    const s = await signIn('regulator');
    expect((await tp.api('POST', '/api/auth/logout', s.token, {})).statusCode).toBe(204);
    expect(code(await get(s.token, '/api/auth/me'))).toEqual({ status: 401, code: 'SESSION_ENDED' });
    expect(code(await refresh(s.cookie))).toEqual({ status: 401, code: 'SESSION_ENDED' });
  });
});

describe('a demoted participant admin', () => {
  it('cannot create users or promote itself back with its existing session within a second of the demotion, over HTTP or a socket', async () => {
    const { participantId, admin, admin2 } = await participantWithStaff();
    const demoted = await signIn(admin2.username);
    const socket = await open(url, '/account', demoted.token);
    const ended = inboxOf(socket).wait('session_ended', 1, () => true, 1_000);

    const demote = await tp.api('PATCH', `/api/onboarding/participants/${participantId}/users/${admin2.id}`, (await signIn(admin.username)).token, { role: 'viewer' });
    expect(demote.statusCode, demote.body).toBe(200);
    const demotedAt = Date.now();
    const before = await usersRows();

    const create = await tp.api('POST', `/api/onboarding/participants/${participantId}/users`, demoted.token, { username: `sneaky_${participantId}`, password: PASSWORD, role: 'admin' });
    const promote = await tp.api('PATCH', `/api/onboarding/participants/${participantId}/users/${admin2.id}`, demoted.token, { role: 'admin' });
    const createOnSecond = await second.app.inject({
      method: 'POST',
      url: `/api/onboarding/participants/${participantId}/users`,
      headers: { authorization: `Bearer ${demoted.token}` },
      payload: { username: `sneaky2_${participantId}`, password: PASSWORD, role: 'admin' },
    });
    expect([code(create), code(promote), code(createOnSecond)]).toEqual([
      { status: 401, code: 'SESSION_ENDED' },
      { status: 401, code: 'SESSION_ENDED' },
      { status: 401, code: 'SESSION_ENDED' },
    ]);
    expect((await ended)[0]).toMatchObject({ statusCode: 401, code: 'SESSION_ENDED' });
    expect(Date.now() - demotedAt).toBeLessThan(1_000);
    expect(await usersRows()).toEqual(before);

    // Signing in again gives the new role: a viewer reads but does not act.
    const again = await signIn(admin2.username);
    expect(code(await tp.api('POST', `/api/onboarding/participants/${participantId}/users`, again.token, { username: `sneaky3_${participantId}`, password: PASSWORD, role: 'admin' }))).toEqual({
      status: 403,
      code: 'VIEWER_READ_ONLY',
    });
  });
});

describe('disabling a user', () => {
  it('cuts it at once on the other node (HTTP and socket), refuses its sign-in, and enabling lets it back', async () => {
    const { participantId, admin, trader } = await participantWithStaff();
    const t = await signIn(trader.username, PASSWORD, second);
    const socket = await open(secondUrl, '/account', t.token);
    const ended = inboxOf(socket).wait('session_ended', 1, () => true, 1_000);
    const adminToken = (await signIn(admin.username)).token;
    // Node two has just seen the session live, and would keep believing it for SESSION_CACHE_MS
    // if the change were not announced to it.
    expect((await get(t.token, '/api/account', second)).statusCode).toBe(200);

    const disabled = await tp.api('POST', `/api/onboarding/participants/${participantId}/users/${trader.id}/disable`, adminToken);
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toEqual({ id: trader.id, username: trader.username, disabled: true, mustChangePassword: false });

    // The announcement travels through Redis: node two has it within a second, well before its cache would expire.
    const cutAt = Date.now();
    const refused = await eventually(
      async () => {
        const res = await get(t.token, '/api/account', second);
        return res.statusCode !== 200 && code(res);
      },
      'node two to cut the session',
      1_000,
    );
    expect(refused).toEqual({ status: 401, code: 'SESSION_ENDED' });
    expect(Date.now() - cutAt).toBeLessThan(SESSION_CACHE_MS);
    expect((await ended)[0]).toMatchObject({ statusCode: 401 });
    expect(code(await refresh(t.cookie, second))).toEqual({ status: 401, code: 'SESSION_ENDED' });
    const login = await second.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: trader.username, password: PASSWORD } });
    expect(code(login)).toEqual({ status: 401, code: 'USER_DISABLED' });

    const listed = await tp.api('GET', `/api/onboarding/participants/${participantId}/users`, adminToken);
    expect(listed.json<Array<{ id: string; disabled: boolean }>>().find((u) => u.id === trader.id)).toMatchObject({ disabled: true });
    expect((await tp.api('POST', `/api/admin/users/${trader.id}/enable`, tp.operatorToken)).json()).toMatchObject({ disabled: false });
    expect((await signIn(trader.username, PASSWORD, second)).token).toEqual(expect.any(String));
    const audit = await tp.running.platform.knex('audit_log').whereIn('action', ['user.disable', 'user.enable']).where({ subject: `user:${trader.id}` }).orderBy('seq').pluck('action');
    expect(audit).toEqual(['user.disable', 'user.enable']);
  });

  it('refuses what it must not do, changing nothing', async () => {
    const { participantId, admin, admin2, trader } = await participantWithStaff();
    const other = await participantWithStaff();
    const adminToken = (await signIn(admin.username)).token;
    const traderToken = (await signIn(trader.username)).token;
    await tp.api('POST', `/api/onboarding/participants/${participantId}/users/${admin2.id}/disable`, adminToken);
    const before = await usersRows();
    const cases: Array<[LightMyRequestResponse, number, string]> = [
      [await tp.api('POST', `/api/onboarding/participants/${participantId}/users/${admin.id}/disable`, adminToken), 409, 'CANNOT_CHANGE_OWN_ACCOUNT'],
      [await tp.api('POST', `/api/onboarding/participants/${participantId}/users/${other.trader.id}/disable`, adminToken), 404, 'USER_NOT_FOUND'],
      [await tp.api('POST', `/api/onboarding/participants/${other.participantId}/users/${other.trader.id}/password-reset`, adminToken), 403, 'NOT_PARTICIPANT_ADMIN'],
      [await tp.api('POST', `/api/onboarding/participants/${participantId}/users/${admin.id}/disable`, traderToken), 403, 'NOT_PARTICIPANT_ADMIN'],
      [await tp.api('POST', `/api/admin/users/${admin.id}/disable`, adminToken), 403, 'FORBIDDEN_ROLE'],
      [await tp.api('POST', `/api/admin/users/${admin.id}/disable`, tp.operatorToken), 422, 'LAST_ADMIN'],
      [await tp.api('POST', `/api/admin/users/9999999999/disable`, tp.operatorToken), 404, 'USER_NOT_FOUND'],
      [await tp.api('POST', `/api/admin/users/abc/password-reset`, tp.operatorToken), 400, 'VALIDATION_FAILED'],
    ];
    expect(cases.map(([res]) => code(res))).toEqual(cases.map(([, status, c]) => ({ status, code: c })));
    expect(await usersRows()).toEqual(before);
  });
});

describe('a forced password reset', () => {
  it('ends the sessions, and the temporary password only lets the user choose a new one', async () => {
    const { participantId, trader } = await participantWithStaff();
    const t = await signIn(trader.username);
    const reset = await tp.api('POST', `/api/admin/users/${trader.id}/password-reset`, tp.operatorToken);
    expect(reset.statusCode, reset.body).toBe(200);
    const { temporaryPassword } = reset.json<{ temporaryPassword: string }>();
    expect(reset.json()).toMatchObject({ id: trader.id, mustChangePassword: true, temporaryPassword: expect.stringMatching(/^\S{16,}$/) });
    expect(code(await get(t.token, '/api/account'))).toEqual({ status: 401, code: 'SESSION_ENDED' });
    expect(code(await tp.api('POST', '/api/auth/login', null, { username: trader.username, password: PASSWORD }))).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });

    const temp = await signIn(trader.username, temporaryPassword);
    expect(temp.user.mustChangePassword).toBe(true);
    expect(code(await get(temp.token, '/api/account'))).toEqual({ status: 403, code: 'PASSWORD_CHANGE_REQUIRED' });
    expect((await get(temp.token, '/api/auth/me')).json()).toMatchObject({ mustChangePassword: true });
    const changed = await tp.api('POST', '/api/auth/password', temp.token, { currentPassword: temporaryPassword, newPassword: NEW_PASSWORD });
    expect(changed.statusCode, changed.body).toBe(200);
    const fresh = changed.json<{ token: string; user: { mustChangePassword: boolean } }>();
    expect(fresh.user.mustChangePassword).toBe(false);
    expect((await get(fresh.token, '/api/account')).statusCode).toBe(200);
    const listed = await tp.api('GET', `/api/onboarding/participants/${participantId}/users`, tp.operatorToken);
    expect(listed.json<Array<{ id: string; mustChangePassword: boolean }>>().find((u) => u.id === trader.id)).toMatchObject({ mustChangePassword: false });
  });
});

describe('changing one’s own password', () => {
  it('ends every other session (this one stays), and only the new password signs in', async () => {
    const p = await tp.participant('enterprise');
    const elsewhere = await signIn(p.username, PASSWORD, second);
    const here = await signIn(p.username);
    const res = await tp.running.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { authorization: `Bearer ${here.token}` },
      payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await get(res.json<{ token: string }>().token, '/api/account', second)).statusCode).toBe(200);
    expect((await get(here.token, '/api/account', second)).statusCode).toBe(200);
    expect((await refresh(here.cookie)).statusCode).toBe(200);
    expect(code(await get(elsewhere.token, '/api/account', second))).toEqual({ status: 401, code: 'SESSION_ENDED' });
    expect(code(await refresh(elsewhere.cookie))).toEqual({ status: 401, code: 'SESSION_ENDED' });
    expect(code(await tp.api('POST', '/api/auth/login', null, { username: p.username, password: PASSWORD }))).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect((await signIn(p.username, NEW_PASSWORD)).token).toEqual(expect.any(String));
  });

  it('refuses a wrong current password and weak new ones, changing nothing', async () => {
    const p = await tp.participant('enterprise');
    const before = await usersRows();
    const change = (currentPassword: string, newPassword: string) => tp.api('POST', '/api/auth/password', p.token, { currentPassword, newPassword });
    const cases: Array<[LightMyRequestResponse, number, string]> = [
      [await change('not-my-password-at-all', NEW_PASSWORD), 422, 'PASSWORD_WRONG'],
      [await change(PASSWORD, PASSWORD), 422, 'PASSWORD_UNCHANGED'],
      [await change(PASSWORD, 'short-pw-1'), 422, 'PASSWORD_TOO_SHORT'],
      [await change(PASSWORD, 'password1234'), 422, 'PASSWORD_TOO_COMMON'],
      [await change(PASSWORD, 'qwertyuiop123'), 422, 'PASSWORD_TOO_COMMON'],
      [await change(PASSWORD, `My-${p.username}-2026!`), 422, 'PASSWORD_CONTAINS_USERNAME'],
      [await change(PASSWORD, ''), 400, 'VALIDATION_FAILED'],
    ];
    expect(cases.map(([res]) => code(res))).toEqual(cases.map(([, status, c]) => ({ status, code: c })));
    expect(await usersRows()).toEqual(before);
    expect((await get(p.token, '/api/account')).statusCode).toBe(200);
  });
});

describe('the password policy', () => {
  it('applies wherever a password is set: staff, participants, participant users', async () => {
    const p = await participantWithStaff();
    const adminToken = (await signIn(p.admin.username)).token;
    const before = await usersRows();
    const weak = ['12345678', 'password', 'password1234', 'iloveyou2026', 'aaaaaaaaaaaaaaaa'];
    const answers: Array<{ status: number; code: string | undefined }> = [];
    for (const password of weak) {
      answers.push(code(await tp.api('POST', '/api/admin/staff', tp.operatorToken, { username: 'jx-reg-weak', password, role: 'regulator' })));
      answers.push(code(await tp.api('POST', '/api/admin/participants', tp.operatorToken, { name: '弱密码测试有限公司', kind: 'enterprise', region: '南昌市', username: 'weakco', password })));
      answers.push(code(await tp.api('POST', `/api/onboarding/participants/${p.participantId}/users`, adminToken, { username: 'weakuser', password, role: 'trader' })));
    }
    expect(answers.every((a) => a.status === 422 && /^PASSWORD_TOO_(SHORT|COMMON)$/.test(a.code ?? ''))).toBe(true);
    expect(code(await tp.api('POST', '/api/admin/staff', tp.operatorToken, { username: 'jx-reg-weak', password: 'jx-reg-weak-2026', role: 'regulator' }))).toEqual({ status: 422, code: 'PASSWORD_CONTAINS_USERNAME' });
    expect(await usersRows()).toEqual(before);
  });
});
