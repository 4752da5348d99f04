import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';

/** A Redis server of the test's own, so a test can stop and start it without touching others. */
export interface PrivateRedis {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const waitUntil = async (up: boolean) => {
    const deadline = Date.now() + 10_000;
    while ((await answers(url)) !== up) {
      if (Date.now() > deadline) throw new Error(`redis on ${port} did not ${up ? 'start' : 'stop'}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const redis: PrivateRedis = {
    url,
    async start() {
      if (child) return;
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
      await waitUntil(true);
    },
    async stop() {
      child?.kill('SIGKILL');
      child = undefined;
      await waitUntil(false);
    },
  };
  return redis;
}
