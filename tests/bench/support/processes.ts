import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { createWriteStream } from 'node:fs';
import { Redis } from 'ioredis';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

export interface Child {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before answering:\n${output()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms:\n${output()}`);
}

/** Starts a TypeScript entry point of this repository as its own Node process. */
export async function startNode(entry: string, port: number, env: Record<string, string> = {}): Promise<Child> {
  // BENCH_NODE_ARGS (e.g. --cpu-prof) and BENCH_LOG=FILE + BENCH_LOG_LEVEL let a profiling run
  // look inside the server without changing the benchmark.
  const extraArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extraArgs, '--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', CLIENT_BUILD: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const logFile = process.env.BENCH_LOG ? createWriteStream(process.env.BENCH_LOG, { flags: 'a' }) : null;
  child.stdout!.on('data', (d) => {
    output += d;
    logFile?.write(d);
  });
  child.stderr!.on('data', (d) => {
    output += d;
    logFile?.write(d);
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => output);
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** PostgreSQL's own pgbench -N (no branch-table updates) TPS on a scratch database, for scale. */
export async function pgbenchTps(clients: number, seconds: number): Promise<number> {
  const db = 'ecorights_pgbench';
  await run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-c', `DROP DATABASE IF EXISTS ${db}`, '-c', `CREATE DATABASE ${db}`]);
  await run('pgbench', ['-h', '127.0.0.1', '-U', 'postgres', '-i', '-q', '-s', '10', db]);
  const { stdout } = await run('pgbench', ['-h', '127.0.0.1', '-U', 'postgres', '-N', '-c', String(clients), '-j', '2', '-T', String(seconds), db]);
  const match = /tps = ([0-9.]+)/.exec(stdout);
  await run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-c', `DROP DATABASE IF EXISTS ${db}`]);
  if (!match) throw new Error(`could not read pgbench output:\n${stdout}`);
  return Number(match[1]);
}

/** Deletes a previous run's keys (settlement jobs of a dropped database, live counters). */
export async function clearRedisPrefix(prefix: string, url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}
