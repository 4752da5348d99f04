import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

// Issue 13, item 7: browser hardening on every answer, and no cache keeps an API answer.

let tp: TestPlatform;
beforeAll(async () => {
  tp = await startTestPlatform('security-headers');
});
afterAll(async () => {
  await tp?.close();
});

function directives(header: string | string[] | number | undefined): Map<string, string> {
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0]!, d.slice(d.indexOf(' ') + 1)]),
  );
}

describe('security headers', () => {
  it('an authenticated API answer carries the CSP, no framing, nosniff and Cache-Control: no-store', async () => {
    const res = await tp.api('GET', '/api/account', tp.operatorToken);
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refusals and unknown API routes are not cached either', async () => {
    for (const res of [await tp.api('GET', '/api/account'), await tp.api('GET', '/api/no-such-route')]) {
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });
});
