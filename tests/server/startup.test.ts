import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, ensureDatabase } from '../../server/infra/database.ts';
import { checkServices } from '../../server/infra/preflight.ts';

// Issue 2, Build 2: when PostgreSQL or Redis cannot be reached, command one exits with one clear
// line naming the URL tried and how to start that service — no stack trace.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const name = `ecorights_test_startup_${randomBytes(4).toString('hex')}`;
// The database exists (it is created if missing), so only Redis fails in the Redis cases.
const reachableDatabase = `postgres://postgres@127.0.0.1:5432/${name}`;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From the process start to its exit: npx and tsx start-up included. */
  ms: number;
  /** From the server's "checking PostgreSQL and Redis" line to its exit: how fast it gives up. */
  checkMs: number | null;
}

/** Runs README's command one (`npx tsx server/main.ts`) with the given environment. */
function commandOne(env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('npx', ['tsx', 'server/main.ts'], {
      cwd: root,
      // Its own process group, so a timeout can stop npx and the server under it together.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CLIENT_BUILD: 'off', DEMO: 'off', PORT: '0', REDIS_PREFIX: name, TOKEN_SECRET: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    let checking: number | null = null;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (checking === null && stdout.includes('checking PostgreSQL and Redis')) checking = Date.now();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const now = Date.now();
      resolve({ code, stdout, stderr, ms: now - started, checkMs: checking === null ? null : now - checking });
    });
  });
}

/** True when nothing accepts connections on the port (so the test really meets a dead service). */
const closed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

let redisDown: Exit;
let postgresDown: Exit;

beforeAll(async () => {
  expect(await closed(6390)).toBe(true);
  expect(await closed(5439)).toBe(true);
  // Created up front: two children creating it at once would race (see tests/server/pending, bug 4).
  await ensureDatabase(reachableDatabase);
  [redisDown, postgresDown] = await Promise.all([
    commandOne({ DATABASE_URL: reachableDatabase, REDIS_URL: 'redis://127.0.0.1:6390' }),
    commandOne({ DATABASE_URL: `postgres://postgres@127.0.0.1:5439/${name}`, REDIS_URL: 'redis://127.0.0.1:6379' }),
  ]);
});
afterAll(async () => {
  await dropDatabase(reachableDatabase);
});

/** The non-empty lines a process wrote to stderr. */
const lines = (text: string) => text.split(/\r?\n/).filter((l) => l.trim() !== '');

const expectOneClearLine = (exit: Exit, url: string, howToStart: RegExp) => {
  expect(exit.code, exit.stderr).not.toBe(0);
  expect(exit.code).not.toBeNull();
  // The server gives up within seconds of checking (no endless reconnecting). The whole run adds
  // npx and TypeScript loading, a few seconds on an idle machine; the bound leaves room for a busy one.
  expect(exit.checkMs, exit.stdout).not.toBeNull();
  expect(exit.checkMs!).toBeLessThan(5_000);
  expect(exit.ms).toBeLessThan(20_000);
  const stderr = lines(exit.stderr);
  expect(stderr, exit.stderr).toHaveLength(1);
  expect(stderr[0]).toContain(url);
  expect(stderr[0]).toMatch(howToStart);
  expect(exit.stderr).not.toMatch(/^\s+at /m);
  expect(exit.stdout).not.toMatch(/^\s+at /m);
  // It stopped before serving anything.
  expect(exit.stdout).not.toMatch(/is running at/);
};

describe('command one with a service down', () => {
  it('Redis unreachable: one line naming the Redis URL and how to start Redis, non-zero exit, no stack trace', () => {
    expectOneClearLine(redisDown, 'redis://127.0.0.1:6390', /redis-server/);
    expect(lines(redisDown.stderr)[0]).toMatch(/REDIS_URL/);
  });

  it('PostgreSQL unreachable: one line naming the database URL and how to start PostgreSQL', () => {
    expectOneClearLine(postgresDown, `postgres://postgres@127.0.0.1:5439/${name}`, /pg_ctl|postgres/i);
    expect(lines(postgresDown.stderr)[0]).toMatch(/DATABASE_URL/);
  });

  it('never prints the password of the URL it names (the same preflight check, in-process)', async () => {
    const problem = await checkServices(reachableDatabase, 'redis://:s3cret-pw@127.0.0.1:6390');
    expect(problem).toContain('redis://:***@127.0.0.1:6390');
    expect(problem).not.toContain('s3cret-pw');
    const pgProblem = await checkServices(`postgres://postgres:s3cret-pw@127.0.0.1:5439/${name}`, 'redis://127.0.0.1:6379');
    expect(pgProblem).toContain(`postgres://postgres:***@127.0.0.1:5439/${name}`);
    expect(pgProblem).not.toContain('s3cret-pw');
  });
});
