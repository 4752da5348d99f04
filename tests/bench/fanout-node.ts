// Child process of the fan-out benchmark (--fanout-node): a second platform node on the same
// database and Redis prefix that only serves the socket.io clients, as a socket.io node behind a
// load balancer would. Trades committed by the benchmark's own node reach it through Redis.
import { loadConfig } from '../../server/config.ts';
import { startPlatform } from '../../server/platform-factory.ts';

export type NodeMessage = { type: 'listening'; url: string } | { type: 'error'; message: string };

async function main(): Promise<void> {
  const config = loadConfig(process.env, { PORT: 0, DEMO: 'off', CLIENT_BUILD: 'off', LOG_LEVEL: 'silent', SETTLEMENT_WORKERS: 0 });
  const node = await startPlatform(config, { logger: false });
  const url = await node.listen();
  process.send!({ type: 'listening', url } satisfies NodeMessage);
  process.on('message', (m: { type: string }) => {
    if (m.type !== 'stop') return;
    void node.close().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.send?.({ type: 'error', message: String(error) } satisfies NodeMessage);
  process.exit(1);
});
