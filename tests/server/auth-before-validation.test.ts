import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { expectRefusal } from './support/market.ts';

// Server bug 3 (see the report): requireRole runs as a preHandler, after schema validation, so an
// anonymous request with a bad body or path answers 400 instead of 401 TOKEN_MISSING.
let tp: TestPlatform;
beforeAll(async () => {
  tp = await startTestPlatform('auth-first', { LOT_DIRECT_REGISTRATION: 'on' });
});
afterAll(async () => {
  await tp?.close();
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const securedRoutes = () => {
  const spec = (tp.running.app as unknown as { swagger(): { paths: Record<string, Record<string, { security?: unknown[] }>> } }).swagger();
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => (op.security ?? []).length > 0)
      .map(([method, _op]) => ({ method: method.toUpperCase() as Method, url: path.replace(/\{[^}]+\}/g, 'not-valid') })),
  );
};

describe('authentication comes before validation', () => {
  it('every secured route answers 401 TOKEN_MISSING to an anonymous request with a bad body or path', async () => {
    const routes = securedRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const { method, url } of routes) {
      const res = await tp.api(method, `${url}?limit=not-a-number`, null, method === 'GET' || method === 'DELETE' ? undefined : { bogus: 1 });
      expect({ route: `${method} ${url}`, status: res.statusCode, code: res.json<{ code: string }>().code }).toEqual({ route: `${method} ${url}`, status: 401, code: 'TOKEN_MISSING' });
    }
  });

  it('a participant sending a bad body to an operator route gets 403 FORBIDDEN_ROLE', async () => {
    const p = await tp.participant('enterprise');
    expectRefusal(await tp.api('POST', '/api/admin/deposits', p.token, {}), 403, 'FORBIDDEN_ROLE');
    expectRefusal(await tp.api('POST', '/api/admin/lots', p.token, { symbol: 'FARMLAND-QTY' }), 403, 'FORBIDDEN_ROLE');
  });
});
