import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS, printedTokens, startBareNode, tryLogin, type BareNode } from './support.ts';

// Issue 13, item 3: a production start (NODE_ENV=production, or DEMO=off) never seeds demo
// data, so no account has a published password; the first operator comes from a one-time setup
// token printed once at start, which works once, and then the endpoint refuses for ever.

const STRONG = 'Poyang-wetland-ledger-77';

describe.each([
  ['NODE_ENV=production (DEMO left at auto)', { NODE_ENV: 'production', DEMO: 'auto' as const }],
  ['DEMO=off', { DEMO: 'off' as const }],
])('%s on an empty database', (_label, overrides) => {
  let node: BareNode;
  beforeAll(async () => {
    node = await startBareNode('prodstart', overrides);
  });
  afterAll(async () => {
    await node?.close();
  });

  it('has no user at all, so no known password signs in as operator or regulator', async () => {
    expect(await node.running.platform.knex('users').count<[{ count: string }]>('id as count')).toEqual([{ count: '0' }]);
    for (const username of ['operator', 'regulator']) {
      for (const password of DEMO_PASSWORDS) expect({ username, password, ...(await tryLogin(node, username, password)) }).toEqual({ username, password, status: 401, token: null });
    }
  });

  it('answers /api/demo-users with 404 NOT_DEMO and says it needs its first operator', async () => {
    const demo = await node.api('GET', '/api/demo-users');
    expect(demo.statusCode).toBe(404);
    expect(demo.json()).toMatchObject({ code: 'NOT_DEMO' });
    expect((await node.api('GET', '/api/platform')).json()).toEqual({ demo: false, demoSince: null, needsSetup: true });
  });

  it('printed exactly one setup token, and stores only its hash', async () => {
    const tokens = printedTokens(node.lines);
    expect(tokens).toHaveLength(1);
    const rows = await node.running.platform.knex('setup_tokens').select('token_hash');
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(tokens[0]);
  });
});

describe('the one-time setup token', () => {
  let node: BareNode;
  const setup = (body: Record<string, string>) => node.api('POST', '/api/setup/operator', null, body);
  const state = async () => ({
    users: await node.running.platform.knex('users').orderBy('id').select('username', 'role'),
    tokens: await node.running.platform.knex('setup_tokens').orderBy('id').select('used_at', 'used_by_user_id'),
  });

  beforeAll(async () => {
    node = await startBareNode('setuptoken', { NODE_ENV: 'production' });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('an expired token is refused; a restart prints a new one', async () => {
    const [first] = printedTokens(node.lines);
    await node.running.platform.knex('setup_tokens').update({ expires_at: node.running.platform.knex.raw(`now() - interval '1 second'`) });
    const res = await setup({ setupToken: first!, username: 'chief', password: STRONG });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'SETUP_TOKEN_INVALID' });
    await node.restart();
    expect(printedTokens(node.lines)).toHaveLength(2);
    expect(printedTokens(node.lines)[1]).not.toBe(first);
  });

  it('refuses a wrong token, a short password and a password equal to the username, changing nothing', async () => {
    const token = printedTokens(node.lines).at(-1)!;
    const before = await state();
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ setupToken: `${token}x`, username: 'chief', password: STRONG }, 403, 'SETUP_TOKEN_INVALID'],
      [{ setupToken: token, username: 'chief', password: 'short-pw-1' }, 422, 'PASSWORD_TOO_SHORT'],
      [{ setupToken: token, username: 'chief-operator', password: 'Chief-Operator' }, 422, 'PASSWORD_CONTAINS_USERNAME'],
      [{ setupToken: token, username: 'a b', password: STRONG }, 422, 'INVALID_USERNAME'],
    ];
    for (const [body, status, code] of cases) {
      const res = await setup(body);
      expect({ body, status: res.statusCode, code: res.json<{ code: string }>().code }).toEqual({ body, status, code });
    }
    expect(await state()).toEqual(before);
  });

  it('works once: of five parallel uses one creates the operator, who signs in', async () => {
    const token = printedTokens(node.lines).at(-1)!;
    const answers = await Promise.all([0, 1, 2, 3, 4].map((i) => setup({ setupToken: token, username: `chief${i}`, password: STRONG })));
    const created = answers.filter((a) => a.statusCode === 201);
    expect(created, answers.map((a) => a.body).join('\n')).toHaveLength(1);
    for (const a of answers.filter((x) => x.statusCode !== 201)) expect([403, 409]).toContain(a.statusCode);
    const { username } = created[0]!.json<{ user: { username: string; role: string } }>().user;
    const after = await state();
    expect(after.users).toEqual([{ username, role: 'operator' }]);
    expect(after.tokens.at(-1)!.used_at).not.toBeNull();
    expect((await tryLogin(node, username, STRONG)).status).toBe(200);
    expect((await node.api('GET', '/api/platform')).json()).toMatchObject({ demo: false, needsSetup: false });
    const audit = await node.running.platform.knex('audit_log').where({ action: 'operator.first' }).select('actor', 'payload');
    expect(audit).toEqual([{ actor: username, payload: { username, via: 'setup_token' } }]);
  });

  it('answers 409 SETUP_COMPLETE for ever after, and a restart prints no new token', async () => {
    const token = printedTokens(node.lines).at(-1)!;
    const again = await setup({ setupToken: token, username: 'intruder', password: STRONG });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'SETUP_COMPLETE' });
    const printed = printedTokens(node.lines).length;
    await node.restart();
    expect(printedTokens(node.lines)).toHaveLength(printed);
    const afterRestart = await setup({ setupToken: 'anything', username: 'intruder', password: STRONG });
    expect(afterRestart.statusCode).toBe(409);
    expect(await node.running.platform.knex('users').pluck('username')).not.toContain('intruder');
  });
});
