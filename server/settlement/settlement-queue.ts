import { Queue, Worker, QueueEvents, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import { settleTrade, settleTrades, type SettleResult } from './settle-trade.ts';

// Trades settled alongside the requested one, in the same transaction (see settleTrades).
const EXTRA_TRADES_PER_SETTLEMENT = 100;

/**
 * Settles the job's trade together with others waiting in the outbox; if that batch fails, the
 * trade is tried alone, so another trade's problem never dead-letters this one.
 */
async function settleWithCompany(knex: Knex, tradeId: string, log: FastifyBaseLogger): Promise<SettleResult> {
  try {
    return await settleTrades(knex, tradeId, EXTRA_TRADES_PER_SETTLEMENT);
  } catch (err) {
    log.warn({ err, tradeId }, 'batched settlement failed; settling the trade alone');
    return settleTrade(knex, tradeId);
  }
}

export const SETTLEMENT_QUEUE = 'settlement';

export interface SettlementJob {
  tradeId: string;
}

export const settlementJobId = (tradeId: string) => `trade-${tradeId}`;

/**
 * Retry delay after a transient failure: doubling from 250 ms, never more than 5 s, so a trade
 * caught by a dropped connection or a deadlock settles within seconds of the cause going away;
 * 12 attempts span about 40 s before the trade becomes a dead letter.
 */
export const settlementBackoffMs = (attemptsMade: number): number => Math.min(5000, 250 * 2 ** Math.max(0, attemptsMade - 1));

export function createSettlementQueue(connection: Redis, prefix: string): Queue<SettlementJob> {
  return new Queue<SettlementJob>(SETTLEMENT_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 12,
      backoff: { type: 'capped-exponential' },
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
      try {
        const result = await settleWithCompany(options.knex, job.data.tradeId, options.log);
        if (result.outcome === 'unknown_trade') throw new UnrecoverableError(`trade ${job.data.tradeId} does not exist`);
        return { outcome: result.outcome, certificateNo: result.outcome === 'settled' ? result.certificateNo : null };
      } catch (error) {
        const permanent = isPermanent(error);
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (permanent || lastAttempt) {
          await recordDeadLetter(options.knex, job.data.tradeId, error).catch((err) => options.log.error({ err }, 'could not record a dead letter'));
        }
        throw permanent && !(error instanceof UnrecoverableError) ? new UnrecoverableError((error as Error).message) : error;
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      autorun: true,
      settings: { backoffStrategy: settlementBackoffMs },
    },
  );
  worker.on('failed', (job, err) => options.log.warn({ tradeId: job?.data.tradeId, attempts: job?.attemptsMade, err }, 'settlement attempt failed'));
  worker.on('error', (err) => options.log.error({ err }, 'settlement worker error'));
  return worker;
}

/**
 * Retrying cannot mend a broken invariant (a constraint refused the settlement, the data is
 * inconsistent); it can outlast a lost connection, a deadlock or a serialization failure.
 */
export function isPermanent(error: unknown): boolean {
  if (error instanceof UnrecoverableError) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(23|22|42)/.test(code);
}

/** Marks a trade whose settlement failed for good, for the operator's dead-letter list. */
export async function recordDeadLetter(knex: Knex, tradeId: string, error: unknown): Promise<void> {
  await knex('trades')
    .where({ id: tradeId })
    .whereNot({ status: 'settled' })
    .update({ status: 'failed', failure_reason: String((error as Error).message ?? error).slice(0, 1000), failed_at: knex.fn.now() });
}

export function createSettlementEvents(connection: Redis, prefix: string): QueueEvents {
  return new QueueEvents(SETTLEMENT_QUEUE, { connection, prefix });
}
