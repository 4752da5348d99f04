// A platform node in a process of its own, for the two-process test: started with the database
// and Redis prefix of the test's node (environment), it reports its URL over IPC and stops on
// request. Run as `node --import tsx tests/server/live/node-process.ts`.
import { loadConfig } from '../../../server/config.ts';
import { startPlatform } from '../../../server/platform-factory.ts';

export type NodeProcessMessage = { type: 'listening'; url: string } | { type: 'error'; message: string };

async function main(): Promise<void> {
  const config = loadConfig(process.env, { PORT: 0, DEMO: 'off', CLIENT_BUILD: 'off', LOG_LEVEL: 'silent' });
  const node = await startPlatform(config, { logger: false });
  const url = await node.listen();
  process.send!({ type: 'listening', url } satisfies NodeProcessMessage);
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'stop') void node.close().finally(() => process.exit(0));
  });
  process.on('disconnect', () => void node.close().finally(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.send?.({ type: 'error', message: String(error) } satisfies NodeProcessMessage);
  process.exit(1);
});
