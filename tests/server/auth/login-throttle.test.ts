import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../../server/platform-factory.ts';
import { createLoginBackoff, type LoginBackoffPolicy } from '../../../server/auth/login-backoff.ts';
import { PASSWORD, startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

// Issue 13, item 6: sign-in limits shared by every node (Redis), per client address behind a
// trusted proxy, and per account as a back-off rather than a lock.

const IP_LIMIT = 6;
let a: TestPlatform;
let b: RunningPlatform;

beforeAll(async () => {
  a = await startTestPlatform('login-throttle', { LOGIN_RATE_LIMIT_PER_MINUTE: IP_LIMIT, TRUST_PROXY: '1' });
  // A second node on the same database and Redis prefix, as behind a load balancer.
  b = await startPlatform(a.config, { logger: false });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const proxiedLogin = (node: RunningPlatform, client: string, username: string, password: string): Promise<LightMyRequestResponse> =>
  node.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': client }, payload: { username, password } });

describe('the per-address limit', () => {
  it('is one count across two nodes: guesses split over both are refused after the limit', async () => {
    const attacker = '198.51.100.20';
    const answers: number[] = [];
    for (let i = 0; i < IP_LIMIT + 2; i++) {
      const node = i % 2 === 0 ? a.running : b;
      answers.push((await proxiedLogin(node, attacker, `nobody-${i}`, 'wrong-password')).statusCode);
    }
    expect(answers).toEqual([...Array<number>(IP_LIMIT).fill(401), 429, 429]);
    const limited = await proxiedLogin(b, attacker, 'operator', PASSWORD);
    expect(limited.json()).toEqual({ statusCode: 429, code: 'RATE_LIMITED', message: expect.any(String) });
  });

  it('counts the client behind the trusted proxy, so one attacker does not lock out everyone behind it', async () => {
    for (let i = 0; i < IP_LIMIT + 1; i++) await proxiedLogin(a.running, '198.51.100.30', `nobody-else-${i}`, 'wrong-password');
    expect((await proxiedLogin(a.running, '198.51.100.30', 'operator', PASSWORD)).statusCode).toBe(429);
    expect((await proxiedLogin(b, '198.51.100.31', 'operator', PASSWORD)).statusCode).toBe(200);
  });
});

describe('the per-account back-off', () => {
  it('after five failures on one node, the next attempt on the other waits — even with the right password — while other accounts sign in', async () => {
    const victim = await a.participant('enterprise');
    const answers: number[] = [];
    // Each guess from a different address: the address limit never applies, only the account's.
    for (let i = 0; i < 5; i++) answers.push((await proxiedLogin(a.running, `203.0.113.${40 + i}`, victim.username, `guess-${i}`)).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 401]);

    const waiting = await proxiedLogin(b, '203.0.113.60', victim.username.toUpperCase(), PASSWORD);
    expect(waiting.statusCode).toBe(429);
    expect(waiting.json()).toEqual({ statusCode: 429, code: 'LOGIN_BACKOFF', message: expect.stringContaining('try again in') });
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    expect((await proxiedLogin(b, '203.0.113.61', 'regulator', PASSWORD)).statusCode).toBe(200);
  });
});

describe('the back-off schedule (real Redis, a clock of the test)', () => {
  const policy: LoginBackoffPolicy = { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, forgetAfterMs: 60_000 };
  let redis: Redis;
  const prefix = `test_backoff_${randomBytes(4).toString('hex')}`;
  beforeAll(() => {
    redis = new Redis('redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('doubles the wait after each further failure up to the cap, and a success forgets the count', async () => {
    const backoff = createLoginBackoff(redis, prefix, policy);
    let now = 1_000_000;
    const waits: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      const wait = await backoff.claimAttempt('Alice', now);
      waits.push(wait);
      // Come back exactly when allowed: the next claim is a fresh failure.
      now += wait;
      if (wait > 0) expect(await backoff.claimAttempt('alice', now)).toBe(0);
    }
    expect(waits).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 8000]);
    await backoff.recordSuccess('ALICE');
    expect(await backoff.claimAttempt('alice', now)).toBe(0);
  });

  it('lets no more than the free attempts through when guesses arrive at once', async () => {
    const backoff = createLoginBackoff(redis, prefix, policy);
    const waits = await Promise.all(Array.from({ length: 20 }, () => backoff.claimAttempt('bob', 5_000_000)));
    expect(waits.filter((w) => w === 0)).toHaveLength(policy.freeFailures);
  });
});
