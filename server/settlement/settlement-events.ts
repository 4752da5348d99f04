import type { QueueEvents } from 'bullmq';
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import type { MarketBus } from '../market/market-bus.ts';

/**
 * Turns settlement completions (from whichever worker process ran them) into live events for
 * the parties and regulators.
 */
export function publishSettlements(events: QueueEvents, knex: Knex, bus: MarketBus, log: FastifyBaseLogger): void {
  events.on('completed', ({ jobId }) => {
    const tradeId = jobId.replace(/^trade-/, '');
    void knex('trades as t')
      .leftJoin('settlements as s', 's.trade_id', 't.id')
      .where('t.id', tradeId)
      .first<{ id: string; symbol: string; status: 'pending' | 'settled' | 'failed'; buyer_id: string; seller_id: string; settled_at: Date | null; certificate_no: string | null } | undefined>(
        't.id',
        't.symbol',
        't.status',
        't.buyer_id',
        't.seller_id',
        's.settled_at',
        's.certificate_no',
      )
      .then((row) => {
        if (!row) return;
        bus.emit('settlement', {
          tradeId: row.id,
          symbol: row.symbol,
          status: row.status,
          settledAt: row.settled_at?.toISOString() ?? null,
          certificateNo: row.certificate_no,
          buyerId: row.buyer_id,
          sellerId: row.seller_id,
        });
        bus.emit('balance', row.buyer_id);
        bus.emit('balance', row.seller_id);
      })
      .catch((err) => log.warn({ err, tradeId }, 'could not publish settlement'));
  });
}
