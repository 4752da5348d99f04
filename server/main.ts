import { loadConfig } from './config.ts';
import { checkServices } from './infra/preflight.ts';
import { buildClient, clientBuildIsStale } from './client-build.ts';
import { startPlatform } from './platform-factory.ts';

// Command one of the README: checks the services, migrates, seeds demo data into an empty
// database (or, on a production start, prepares the first operator), builds the UI when
// needed, then serves API + UI + settlement workers.
const say = (line: string) => process.stdout.write(`[ecorights] ${line}\n`);

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(`[ecorights] ${(error as Error).message}`);
    process.exit(1);
  }
  say(`checking PostgreSQL and Redis`);
  const problem = await checkServices(config.DATABASE_URL, config.REDIS_URL);
  if (problem) {
    console.error(`[ecorights] ${problem}`);
    process.exit(1);
  }
  if (config.CLIENT_BUILD === 'auto' && clientBuildIsStale()) {
    say('building the web client (first start or sources changed)');
    try {
      await buildClient();
    } catch (error) {
      // The API and settlement still work without the UI; say so instead of refusing to start.
      console.error(`[ecorights] the web client failed to build, serving the API only: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const running = await startPlatform(config, { progress: say });
  const address = await running.listen();
  say(`EcoRights Exchange is running at ${address} — API docs at ${address}/docs`);
  if (running.platform.demoUsers.length > 0) {
    say(`demo logins (password ${running.platform.demoUsers[0]!.password}): ${running.platform.demoUsers.map((u) => u.username).join(', ')}`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal} received; finishing in-flight work`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(`[ecorights] start-up failed: ${(error as Error).message}`);
  process.exit(1);
});
