import pino from 'pino';
import { loadConfig } from './config.ts';
import { checkServices } from './infra/preflight.ts';
import { createKnex } from './infra/database.ts';
import { createWorkerRedis } from './infra/redis.ts';
import { createSettlementWorker } from './settlement/settlement-queue.ts';

// `npm run worker`: settlement workers as a separate process, for scaling settlement out.
async function main(): Promise<void> {
  const config = loadConfig();
  const problem = await checkServices(config.DATABASE_URL, config.REDIS_URL);
  if (problem) {
    console.error(`[ecorights-worker] ${problem}`);
    process.exit(1);
  }
  const log = pino({ level: config.LOG_LEVEL });
  const knex = createKnex(config.DATABASE_URL);
  const connection = createWorkerRedis(config.REDIS_URL);
  const worker = createSettlementWorker({ knex, connection, prefix: config.REDIS_PREFIX, concurrency: config.SETTLEMENT_CONCURRENCY, log });
  log.info({ concurrency: worker.concurrency }, 'settlement worker running');
  const stop = async () => {
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await worker.close();
    connection.disconnect();
    await knex.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
