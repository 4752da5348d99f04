import type { Knex } from 'knex';
import type { Queue } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import { enqueueSettlements, settlementJobId, type SettlementJob } from './settlement-queue.ts';

export interface OutboxRelayOptions {
  knex: Knex;
  queue: Queue<SettlementJob>;
  log: FastifyBaseLogger;
  sweepEveryMs?: number;
  /** A queued trade still unsettled after this long is queued again (Redis may have lost it). */
  requeueAfterMs?: number;
}

/**
 * Moves committed trades from the PostgreSQL outbox onto the settlement queue. New trades are
 * sent right after their batch commits; a sweeper resends whatever was left behind — Redis down,
 * a crash between commit and send, or a queue that lost its jobs — so no trade stays unsettled.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.options.sweepEveryMs ?? 2000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  notify(tradeIds: string[]): void {
    void this.send(tradeIds).catch((err) => this.options.log.warn({ err, trades: tradeIds.length }, 'settlement enqueue failed; the outbox sweeper will retry'));
  }

  private async send(tradeIds: string[]): Promise<void> {
    await enqueueSettlements(this.options.queue, tradeIds);
    await this.options.knex('settlement_outbox').whereIn('trade_id', tradeIds).update({ enqueued_at: this.options.knex.fn.now() });
  }

  /** One pass over the outbox; returns how many trades were (re)sent. */
  sweep(): Promise<void> {
    if (!this.sweeping) {
      this.sweeping = this.sweepOnce()
        .catch((err) => this.options.log.warn({ err }, 'outbox sweep failed'))
        .then(() => {
          this.sweeping = undefined;
        });
    }
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const requeueAfter = `${this.options.requeueAfterMs ?? 30_000} milliseconds`;
    for (;;) {
      const rows = await this.options.knex('settlement_outbox as o')
        .join('trades as t', 't.id', 'o.trade_id')
        .where('t.status', 'pending')
        .where((q) => q.whereNull('o.enqueued_at').orWhere('o.enqueued_at', '<', this.options.knex.raw(`now() - ?::interval`, [requeueAfter])))
        .orderBy('o.trade_id')
        .limit(1000)
        .select<Array<{ trade_id: string; enqueued_at: Date | null }>>('o.trade_id', 'o.enqueued_at');
      if (rows.length === 0) return;
      // A trade queued long ago and still pending: its job may be gone, finished without settling
      // it, or failed by BullMQ itself (stalled too often; our own dead letters mark the trade
      // failed and are not selected here). Such a job would make the new one a duplicate, so
      // clear it first.
      for (const row of rows.filter((r) => r.enqueued_at !== null)) {
        const job = await this.options.queue.getJob(settlementJobId(row.trade_id));
        if (job && ((await job.isCompleted()) || (await job.isFailed()))) await job.remove();
      }
      await this.send(rows.map((r) => r.trade_id));
      if (rows.length < 1000) return;
    }
  }
}
