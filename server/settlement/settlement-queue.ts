import { Queue, Worker, QueueEvents, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import { settleAvailable, settleTrade, type SettleResult } from './settle-trade.ts';
import { sqlArray } from '../shared/sql-array.ts';

// Trades settled alongside the requested one, in the same transaction (see settleAvailable).
const EXTRA_TRADES_PER_SETTLEMENT = 500;
// How many recently settled trade ids a worker remembers, to finish their jobs without a query.
const REMEMBERED_SETTLEMENTS = 200_000;

type JobOutcome = { outcome: SettleResult['outcome']; certificateNo: string | null };

/**
 * One worker process's settlement lane. Most jobs find their trade settled by an earlier job's
 * batch: remembered here, or seen in one read (shared by the jobs that arrive together). The rest settle one batch at a time
 * per process (concurrent jobs of one process would only queue on the same accounts); a job
 * whose trade is still pending after the batch ahead of it settles its own, taking the oldest
 * waiting trades of the seller queues no other worker holds. Only when its own seller queue is
 * held by another worker does a job wait, outside the lane, for that queue.
 */
export class SettlementLane {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly settled = new Set<string>();

  constructor(
    private readonly knex: Knex,
    private readonly log: FastifyBaseLogger,
    private readonly extra = EXTRA_TRADES_PER_SETTLEMENT,
  ) {}

  private remember(ids: string[]): void {
    for (const id of ids) this.settled.add(id);
    if (this.settled.size > REMEMBERED_SETTLEMENTS) {
      // Sets iterate in insertion order: forget the oldest half.
      let drop = this.settled.size / 2;
      for (const id of this.settled) {
        if (drop-- <= 0) break;
        this.settled.delete(id);
      }
    }
  }

  private checks = new Map<string, Array<{ resolve: (status: string | undefined) => void; reject: (err: unknown) => void }>>();

  /** A trade's status; the jobs of one turn of the event loop share one query. */
  private status(tradeId: string): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      if (this.checks.size === 0) setImmediate(() => void this.checkNow());
      const waiting = this.checks.get(tradeId) ?? [];
      waiting.push({ resolve, reject });
      this.checks.set(tradeId, waiting);
    });
  }

  private async checkNow(): Promise<void> {
    const checks = this.checks;
    this.checks = new Map();
    try {
      const { rows } = await this.knex.raw<{ rows: Array<{ id: string; status: string }> }>(`SELECT id, status FROM trades WHERE id = ANY(?::bigint[])`, [
        sqlArray([...checks.keys()]),
      ]);
      const found = new Map(rows.map((r) => [r.id, r.status]));
      for (const [id, waiting] of checks) for (const w of waiting) w.resolve(found.get(id));
    } catch (err) {
      for (const waiting of checks.values()) for (const w of waiting) w.reject(err);
    }
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => {});
    return run;
  }

  async settle(tradeId: string): Promise<JobOutcome> {
    if (this.settled.has(tradeId)) return { outcome: 'already_settled', certificateNo: null };
    const status = await this.status(tradeId);
    if (status === undefined) return { outcome: 'unknown_trade', certificateNo: null };
    if (status === 'settled') return { outcome: 'already_settled', certificateNo: null };
    let result: SettleResult | JobOutcome | 'busy' | undefined;
    try {
      result = await this.serial(async () => {
        if (this.settled.has(tradeId)) return { outcome: 'already_settled' as const, certificateNo: null };
        const r = await settleAvailable(this.knex, tradeId, this.extra);
        this.remember(r.batch);
        return r.outcome === 'busy' ? 'busy' : r;
      });
    } catch (err) {
      // Another trade's problem must never dead-letter this one: settle it alone (below).
      this.log.warn({ err, tradeId }, 'batched settlement failed; settling the trade alone');
    }
    if (result === undefined || result === 'busy') result = await settleTrade(this.knex, tradeId);
    return { outcome: result.outcome, certificateNo: result.outcome === 'settled' ? result.certificateNo : null };
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
  const lane = new SettlementLane(options.knex, options.log);
  const worker = new Worker<SettlementJob>(
    SETTLEMENT_QUEUE,
    async (job: Job<SettlementJob>) => {
      try {
        const result = await lane.settle(job.data.tradeId);
        if (result.outcome === 'unknown_trade') throw new UnrecoverableError(`trade ${job.data.tradeId} does not exist`);
        return result;
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
