import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../../server/config.ts';
import { dropDatabase, ensureDatabase } from '../../../server/infra/database.ts';
import { startPlatform, type RunningPlatform } from '../../../server/platform-factory.ts';
import { createStaffUser } from '../../../server/admin/participants.ts';
import { registerLot } from '../../../server/admin/lot-registration.ts';

export const PASSWORD = 'test-password-1';

export interface TestPlatform {
  running: RunningPlatform;
  config: Config;
  /** Calls the API in-process; `token` signs the request. */
  api(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, token?: string | null, payload?: unknown): Promise<LightMyRequestResponse>;
  login(username: string, password?: string): Promise<string>;
  operatorToken: string;
  regulatorToken: string;
  /** Admits a participant through the API; returns its id and a token of its first user. */
  participant(kind: 'government' | 'enterprise', name?: string, region?: string): Promise<{ id: string; token: string; username: string }>;
  deposit(participantId: string, amount: string): Promise<void>;
  lot(participantId: string, symbol: string, quantity: string): Promise<void>;
  /** Restarts the node on the same database and Redis prefix, as after a crash or deploy. */
  restart(overrides?: Partial<Config>): Promise<void>;
  close(): Promise<void>;
}

const unique = (label: string) => `${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_${randomBytes(4).toString('hex')}`;

const indicatorOf: Record<string, string> = {
  'FARMLAND-QTY': 'farmland',
  'FARMLAND-PADDY': 'farmland',
  'FARMLAND-GRAIN': 'farmland',
  'LAND-LINKAGE': 'land_linkage',
  WETLAND: 'wetland',
  'CARBON-2024': 'carbon_sink',
  'CARBON-2023': 'carbon_sink',
};

/**
 * A whole platform node for one test file: its own PostgreSQL database and Redis key prefix, so
 * files run in parallel and rerun cleanly. No demo data; tests build the state they need.
 */
export async function startTestPlatform(label: string, overrides: Partial<Config> = {}): Promise<TestPlatform> {
  const name = unique(label);
  const config = loadConfig(
    {},
    {
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/ecorights_test_${name}`,
      REDIS_PREFIX: `test_${name}`,
      DEMO: 'off',
      CLIENT_BUILD: 'off',
      PORT: 0,
      LOG_LEVEL: 'silent',
      ...overrides,
    },
  );
  await ensureDatabase(config.DATABASE_URL);
  let running = await startPlatform(config, { logger: false });
  await running.platform.knex.transaction(async (trx) => {
    await createStaffUser(trx, 'operator', PASSWORD, 'operator');
    await createStaffUser(trx, 'regulator', PASSWORD, 'regulator');
  });

  const api: TestPlatform['api'] = (method, url, token, payload) =>
    running.app.inject({ method, url, payload: payload as never, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const login = async (username: string, password = PASSWORD) => {
    const res = await api('POST', '/api/auth/login', null, { username, password });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    return res.json<{ token: string }>().token;
  };
  const expectCreated = (res: LightMyRequestResponse, what: string) => {
    if (res.statusCode !== 201) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
    return res;
  };

  let counter = 0;
  const platform: TestPlatform = {
    get running() {
      return running;
    },
    config,
    api,
    login,
    operatorToken: await login('operator'),
    regulatorToken: await login('regulator'),
    async participant(kind, name, region = '上饶市婺源县') {
      counter += 1;
      const username = `${kind.slice(0, 3)}${counter}_${randomBytes(2).toString('hex')}`;
      const res = expectCreated(
        await api('POST', '/api/admin/participants', platform.operatorToken, {
          name: name ?? `${kind === 'government' ? '测试县自然资源局' : '测试企业有限公司'}${counter}`,
          kind,
          region,
          username,
          password: PASSWORD,
        }),
        'admit participant',
      );
      return { id: res.json<{ participant: { id: string } }>().participant.id, token: await login(username), username };
    },
    async deposit(participantId, amount) {
      counter += 1;
      expectCreated(await api('POST', '/api/admin/deposits', platform.operatorToken, { participantId, amount, reference: `T-${counter}-${randomBytes(3).toString('hex')}` }), 'deposit');
    },
    // Lots reach production only through four-eyes review of a submission with documents
    // (tests/server/lots cover that); most tests just need quantity, so this registers an
    // approved lot in-process, through the same issuance the approval runs.
    async lot(participantId, symbol, quantity) {
      counter += 1;
      const { knex, instruments, bus } = running.platform;
      const spec = instruments.spec(symbol);
      if (!spec) throw new Error(`register lot: no instrument ${symbol}`);
      const operator = await knex('users').where({ username: 'operator' }).first<{ id: string }>('id');
      await registerLot(knex, { id: String(operator.id), username: 'operator' }, spec, {
        participantId,
        indicatorType: indicatorOf[symbol]!,
        symbol,
        quantity,
        region: '上饶市婺源县',
        sourceProject: '测试复垦项目',
        verificationRef: `TEST-${counter}-${randomBytes(3).toString('hex')}`,
        vintage: 2025,
      });
      bus.emit('balance', participantId);
    },
    async restart(more = {}) {
      await running.close();
      running = await startPlatform({ ...config, ...more }, { logger: false });
    },
    async close() {
      await running.close();
      await dropDatabase(config.DATABASE_URL);
      const redis = new Redis(config.REDIS_URL);
      const keys = await redis.keys(`${config.REDIS_PREFIX}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
  return platform;
}

/** Polls until `check` returns a value (not undefined/false) or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
