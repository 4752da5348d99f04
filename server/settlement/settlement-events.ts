import type { QueueEvents } from 'bullmq';
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import type { MarketBus } from '../market/market-bus.ts';
import { sqlArray } from '../shared/sql-array.ts';

// Completions arrive by the thousand when a worker's batch has settled many trades: they are
// looked up together, one query per this many trades (and per turn of the event loop).
const LOOKUP_BATCH = 1000;

interface SettledRow {
  id: string;
  symbol: string;
  status: 'pending' | 'settled' | 'failed';
  buyer_id: string;
  seller_id: string;
  settled_at: Date | null;
  certificate_no: string | null;
}

/**
 * Turns settlement completions (from whichever worker process ran them) into live events for
 * the parties and regulators, in the order the completions arrived.
 */
export function publishSettlements(events: QueueEvents, knex: Knex, bus: MarketBus, log: FastifyBaseLogger): void {
  let waiting: string[] = [];
  let flushing = false;

  const flush = async () => {
    flushing = true;
    try {
      while (waiting.length > 0) {
        const tradeIds = waiting.slice(0, LOOKUP_BATCH);
        waiting = waiting.slice(tradeIds.length);
        try {
          const { rows } = await knex.raw<{ rows: SettledRow[] }>(
            `SELECT t.id, t.symbol, t.status, t.buyer_id, t.seller_id, s.settled_at, s.certificate_no
               FROM trades t LEFT JOIN settlements s ON s.trade_id = t.id
              WHERE t.id = ANY(?::bigint[])`,
            [sqlArray(tradeIds)],
          );
          const byId = new Map(rows.map((r) => [r.id, r]));
          const balances = new Set<string>();
          for (const tradeId of tradeIds) {
            const row = byId.get(tradeId);
            if (!row) continue;
            bus.emit('settlement', {
              tradeId: row.id,
              symbol: row.symbol,
              status: row.status,
              settledAt: row.settled_at?.toISOString() ?? null,
              certificateNo: row.certificate_no,
              buyerId: row.buyer_id,
              sellerId: row.seller_id,
            });
            balances.add(row.buyer_id).add(row.seller_id);
          }
          for (const participantId of balances) bus.emit('balance', participantId);
        } catch (err) {
          log.warn({ err, trades: tradeIds.length }, 'could not publish settlements');
        }
      }
    } finally {
      flushing = false;
    }
  };

  events.on('completed', ({ jobId }) => {
    waiting.push(jobId.replace(/^trade-/, ''));
    if (!flushing) void flush();
  });
}
