import { Queue, Worker, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import { settleTrade } from './settle-trade.ts';

export const SETTLEMENT_QUEUE = 'settlement';

export interface SettlementJob {
  tradeId: string;
}

export const settlementJobId = (tradeId: string) => `trade-${tradeId}`;

export function createSettlementQueue(connection: Redis, prefix: string): Queue<SettlementJob> {
  return new Queue<SettlementJob>(SETTLEMENT_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: { count: 10_000 },
      // Failed jobs stay: they are the dead letters operators and regulators must see.
      removeOnFail: false,
    },
  });
}

/** Enqueues trades for settlement; jobId = trade id, so a trade already queued is not added twice. */
export async function enqueueSettlements(queue: Queue<SettlementJob>, tradeIds: string[]): Promise<void> {
  if (tradeIds.length === 0) return;
  await queue.addBulk(tradeIds.map((tradeId) => ({ name: 'settle', data: { tradeId }, opts: { jobId: settlementJobId(tradeId) } })));
}

export interface SettlementWorkerOptions {
  knex: Knex;
  connection: Redis;
  prefix: string;
  concurrency: number;
  log: FastifyBaseLogger;
}

export function createSettlementWorker(options: SettlementWorkerOptions): Worker<SettlementJob> {
  const worker = new Worker<SettlementJob>(
    SETTLEMENT_QUEUE,
    async (job: Job<SettlementJob>) => {
      const result = await settleTrade(options.knex, job.data.tradeId);
      if (result.outcome === 'unknown_trade') throw new Error(`trade ${job.data.tradeId} does not exist`);
      return { outcome: result.outcome, certificateNo: result.outcome === 'settled' ? result.certificateNo : null };
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency, autorun: true },
  );
  worker.on('failed', (job, err) => options.log.warn({ tradeId: job?.data.tradeId, attempts: job?.attemptsMade, err }, 'settlement attempt failed'));
  worker.on('error', (err) => options.log.error({ err }, 'settlement worker error'));
  return worker;
}

export function createSettlementEvents(connection: Redis, prefix: string): QueueEvents {
  return new QueueEvents(SETTLEMENT_QUEUE, { connection, prefix });
}
