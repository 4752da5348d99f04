import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';

// One real server process per e2e test file: its own port, PostgreSQL database and Redis key
// prefix, started exactly as a person would (`npx tsx server/main.ts`), with the demo data the
// server seeds into an empty database.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = 'redis://127.0.0.1:6379';

export interface PlatformProcess {
  baseUrl: string;
  databaseName: string;
  /** Everything the server printed, for diagnosing a failed test. */
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server did not answer /api/health within ${timeoutMs} ms:\n${output()}`);
}

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** `env` overrides the demo start, e.g. `{ NODE_ENV: 'production' }` for a production start. */
export async function startPlatformProcess(label: string, env: Record<string, string> = {}): Promise<PlatformProcess> {
  const id = `${label}_${randomBytes(4).toString('hex')}`;
  const databaseName = `ecorights_e2e_${id}`;
  const redisPrefix = `e2e_${id}`;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';

  const child = spawn('npx', ['tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${databaseName}`,
      REDIS_URL,
      REDIS_PREFIX: redisPrefix,
      DEMO: 'auto',
      // the test file builds the client itself before starting the server
      CLIENT_BUILD: 'off',
      LOG_LEVEL: 'warn',
      ...env,
    },
    // its own process group, so stop() ends npx, tsx and node together
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    await dropDatabase(databaseName).catch(() => {});
    await deleteRedisKeys(redisPrefix).catch(() => {});
  };

  try {
    await waitForHealth(baseUrl, child, () => output, 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, databaseName, log: () => output, stop };
}
