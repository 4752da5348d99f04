import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { Redis } from 'ioredis';
import { dropDatabase, ensureDatabase } from '../../../server/infra/database.ts';
import { startNode } from '../../bench/support/processes.ts';

// Fault tests run the platform as real processes they can kill -9: a server (server/main.ts,
// started through the benchmarks' startNode) and settlement workers (server/worker-main.ts).
// Every process carries a tag in its environment, so afterAll finds and kills every process the
// file started, by pid, even one that never became ready.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const uniqueName = (label: string) => `${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_${randomBytes(4).toString('hex')}`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A database of the test's own, with a connection the tests use to inspect it. */
export interface ScratchDatabase {
  name: string;
  url: string;
  /** application_name 'ecorights_test': never matched by a test that terminates the platform's connections. */
  knex: Knex;
  drop(): Promise<void>;
}

/** A connection of the test's own to a platform database (application_name 'ecorights_test'). */
export function inspectionKnex(url: string): Knex {
  return knexFactory({
    client: 'pg',
    connection: { connectionString: url, application_name: 'ecorights_test' },
    pool: { min: 0, max: 4 },
    acquireConnectionTimeout: 10_000,
  });
}

export async function scratchDatabase(label: string): Promise<ScratchDatabase> {
  const name = `ecorights_test_${uniqueName(label)}`;
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  await ensureDatabase(url);
  const knex = inspectionKnex(url);
  return {
    name,
    url,
    knex,
    async drop() {
      await knex.destroy();
      await dropDatabase(url);
    },
  };
}

/** Deletes every key of one platform's prefix (SCAN, not KEYS, on the shared Redis). */
export async function clearRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    let cursor = '0';
    for (let round = 0; round < 10_000; round++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } catch {
    // Redis down (a private one already stopped): nothing to clear.
  } finally {
    redis.disconnect();
  }
}

export interface SpawnedProcess {
  process: ChildProcess;
  /** What the process printed since it was started (or became ready, for servers). */
  output(): string;
  /** SIGKILL, then waits until the process is gone. */
  kill9(): Promise<void>;
}

export interface SpawnedServer extends SpawnedProcess {
  url: string;
  port: number;
}

const exited = (child: ChildProcess, timeoutMs: number) =>
  new Promise<void>((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => reject(new Error(`process ${child.pid} did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });

function spawned(child: ChildProcess, initial = ''): SpawnedProcess {
  let output = initial;
  const keep = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    process: child,
    output: () => output,
    async kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited(child, 10_000);
    },
  };
}

/** Starts and, in afterAll, kills every platform process of one test file. */
export class ProcessGroup {
  readonly tag = `faults-${randomBytes(6).toString('hex')}`;
  private readonly children = new Set<ChildProcess>();

  /** server/main.ts on a free port, ready once /api/health answers. */
  async server(env: Record<string, string>): Promise<SpawnedServer> {
    const port = await freePort();
    // carbonLot registers lots over HTTP in one call: a test-harness route, off unless asked for.
    const child = await startNode('server/main.ts', port, { LOG_LEVEL: 'warn', LOT_DIRECT_REGISTRATION: 'on', ...env, FAULT_TEST_TAG: this.tag });
    this.children.add(child.process);
    return { ...spawned(child.process), url: child.url, port };
  }

  /** server/worker-main.ts (`npm run worker`), ready once it logs that it runs. */
  async worker(env: Record<string, string>, timeoutMs = 60_000): Promise<SpawnedProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/worker-main.ts'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'info', ...env, FAULT_TEST_TAG: this.tag },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    const worker = spawned(child);
    const deadline = Date.now() + timeoutMs;
    while (!worker.output().includes('settlement worker running')) {
      if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}) before running:\n${worker.output()}`);
      if (Date.now() > deadline) throw new Error(`worker not running within ${timeoutMs} ms:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return worker;
  }

  /** Kills every process this group started, those it lost track of included (found by tag). */
  async killAll(): Promise<void> {
    const waits: Array<Promise<void>> = [];
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        waits.push(exited(child, 10_000).catch(() => {}));
      }
    }
    await Promise.all(waits);
    for (const pid of taggedPids(this.tag)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** Pids of our own processes whose environment carries the tag (others' /proc entries are unreadable). */
function taggedPids(tag: string): number[] {
  const needle = `FAULT_TEST_TAG=${tag}`;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (environ.split('\0').includes(needle)) pids.push(Number(entry));
    } catch {
      // not ours, or gone
    }
  }
  return pids;
}

export interface Reply<T = unknown> {
  status: number;
  text: string;
  body: T;
}

/** The public HTTP API of a spawned server; `base` can be pointed at a restarted process. */
export class RemoteApi {
  constructor(public base: string) {}

  /** One request with a deadline; rejects when no answer comes (connection refused, reset, timeout). */
  async call<T = unknown>(method: string, url: string, options: { token?: string | null; body?: unknown; timeoutMs?: number } = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, text, body: body as T };
  }

  async expect<T>(status: number, method: string, url: string, options: { token?: string | null; body?: unknown } = {}): Promise<T> {
    const reply = await this.call<T>(method, url, options);
    if (reply.status !== status) throw new Error(`${method} ${url}: expected ${status}, got ${reply.status} ${reply.text}`);
    return reply.body;
  }

  async login(username: string, password: string): Promise<string> {
    return (await this.expect<{ token: string }>(200, 'POST', '/api/auth/login', { body: { username, password } })).token;
  }

  /** Admits an enterprise participant through the operator API; returns its id and a token. */
  async participant(operatorToken: string, label: string, kind: 'enterprise' | 'government' = 'enterprise'): Promise<{ id: string; token: string; username: string }> {
    const username = `${label}_${randomBytes(3).toString('hex')}`;
    const password = 'fault-test-pass';
    const created = await this.expect<{ participant: { id: string } }>(201, 'POST', '/api/admin/participants', {
      token: operatorToken,
      body: { name: `故障测试${kind === 'government' ? '自然资源局' : '有限公司'}${label}`, kind, region: '南昌市红谷滩区', username, password },
    });
    return { id: created.participant.id, token: await this.login(username, password), username };
  }

  async deposit(operatorToken: string, participantId: string, amount: string): Promise<void> {
    await this.expect(201, 'POST', '/api/admin/deposits', { token: operatorToken, body: { participantId, amount, reference: `FAULT-${randomBytes(6).toString('hex')}` } });
  }

  /** Registers a verified carbon-sink lot (CARBON-2024 / CARBON-2023). */
  async carbonLot(operatorToken: string, participantId: string, symbol: 'CARBON-2024' | 'CARBON-2023', quantity: string): Promise<void> {
    await this.expect(201, 'POST', '/api/admin/lots', {
      token: operatorToken,
      body: {
        participantId,
        indicatorType: 'carbon_sink',
        symbol,
        quantity,
        region: '吉安市遂川县',
        sourceProject: '故障测试碳汇项目',
        verificationRef: `FAULT-${randomBytes(6).toString('hex')}`,
        vintage: symbol === 'CARBON-2024' ? 2024 : 2023,
      },
    });
  }
}
