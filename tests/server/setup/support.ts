import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../../server/config.ts';
import { dropDatabase, ensureDatabase } from '../../../server/infra/database.ts';
import { startPlatform, type RunningPlatform } from '../../../server/platform-factory.ts';

// A platform node started exactly as main.ts starts it, without the test harness's own staff
// users: what a fresh database gets is what the start itself created.

export const DEMO_PASSWORDS = ['demo-2026', 'jiangxi-demo-2026'];

export interface BareNode {
  running: RunningPlatform;
  config: Config;
  /** Every progress line the starts printed so far (where the setup token appears). */
  lines: string[];
  api(method: 'GET' | 'POST', url: string, token?: string | null, payload?: unknown): Promise<LightMyRequestResponse>;
  restart(overrides?: Partial<Config>): Promise<void>;
  close(): Promise<void>;
}

export async function startBareNode(label: string, overrides: Partial<Config>): Promise<BareNode> {
  const name = `${label}_${randomBytes(4).toString('hex')}`;
  const base = loadConfig({}, { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/ecorights_test_${name}`, REDIS_PREFIX: `test_${name}`, CLIENT_BUILD: 'off', PORT: 0, LOG_LEVEL: 'error', LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  await ensureDatabase(base.DATABASE_URL);
  const lines: string[] = [];
  const start = (more: Partial<Config>) => startPlatform({ ...base, ...more }, { logger: false, progress: (l) => lines.push(l) });
  let running = await start(overrides);
  const node: BareNode = {
    get running() {
      return running;
    },
    config: base,
    lines,
    api: (method, url, token, payload) => running.app.inject({ method, url, payload: payload as never, headers: token ? { authorization: `Bearer ${token}` } : {} }),
    async restart(more = overrides) {
      await running.close();
      running = await start(more);
    },
    async close() {
      await running.close();
      await dropDatabase(base.DATABASE_URL);
      const redis = new Redis(base.REDIS_URL);
      const keys = await redis.keys(`${base.REDIS_PREFIX}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
  return node;
}

/** The setup tokens printed so far, in order. */
export const printedTokens = (lines: string[]) => lines.flatMap((l) => /setup token (\S+)/.exec(l)?.[1] ?? []);

/** Signs in; the status and, when 200, the token. */
export async function tryLogin(node: BareNode, username: string, password: string): Promise<{ status: number; token: string | null }> {
  const res = await node.api('POST', '/api/auth/login', null, { username, password });
  return { status: res.statusCode, token: res.statusCode === 200 ? res.json<{ token: string }>().token : null };
}
