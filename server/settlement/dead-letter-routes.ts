import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { conflict, notFound } from '../errors.ts';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { errorResponses, bearer } from '../shared/schemas.ts';
import { money } from '../shared/decimal.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { enqueueSettlements, settlementJobId } from './settlement-queue.ts';

const TradeIdParam = Type.Object({ tradeId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) }, { additionalProperties: false });
const DeadLetter = Type.Object({
  tradeId: Type.String(),
  symbol: Type.String(),
  amount: Type.String(),
  buyer: Type.String(),
  seller: Type.String(),
  executedAt: Type.String(),
  failedAt: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
});

/** Trades whose settlement failed for good: visible to operator and regulator, replayable by the operator. */
export async function deadLetterRoutes(app: FastifyInstance): Promise<void> {
  const { knex, settlementQueue, relay } = app.platform;

  app.get(
    '/admin/settlements/dead-letters',
    { preHandler: requireRole('operator', 'regulator'), schema: { tags: ['settlement'], security: bearer, response: { 200: Type.Array(DeadLetter), ...errorResponses } } },
    async () => {
      const rows = await knex('trades as t')
        .join('participants as b', 'b.id', 't.buyer_id')
        .join('participants as s', 's.id', 't.seller_id')
        .where('t.status', 'failed')
        .orderBy('t.id')
        .select<Array<{ id: string; symbol: string; amount: string; buyer: string; seller: string; executed_at: Date; failed_at: Date | null; failure_reason: string | null }>>(
          't.id',
          't.symbol',
          't.amount',
          'b.name as buyer',
          's.name as seller',
          't.executed_at',
          't.failed_at',
          't.failure_reason',
        );
      return rows.map((r) => ({
        tradeId: r.id,
        symbol: r.symbol,
        amount: money(r.amount),
        buyer: r.buyer,
        seller: r.seller,
        executedAt: r.executed_at.toISOString(),
        failedAt: r.failed_at?.toISOString() ?? null,
        reason: r.failure_reason,
      }));
    },
  );

  app.post<{ Params: Static<typeof TradeIdParam> }>(
    '/admin/settlements/:tradeId/replay',
    {
      preHandler: requireRole('operator'),
      schema: {
        tags: ['settlement'],
        security: bearer,
        description: 'Sends a dead-lettered trade back to settlement (after the cause was fixed).',
        params: TradeIdParam,
        response: { 202: Type.Object({ tradeId: Type.String(), status: Type.Literal('pending') }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = userOf(request);
      const { tradeId } = request.params;
      await knex.transaction(async (trx) => {
        const trade = await trx('trades').where({ id: tradeId }).forUpdate().first<{ status: string; failure_reason: string | null } | undefined>('status', 'failure_reason');
        if (!trade) throw notFound('TRADE_NOT_FOUND', `no trade ${tradeId}`);
        if (trade.status !== 'failed') throw conflict('NOT_DEAD_LETTER', `trade ${tradeId} is ${trade.status}, not failed`);
        await trx('trades').where({ id: tradeId }).update({ status: 'pending', failure_reason: null, failed_at: null });
        await trx('settlement_outbox').insert({ trade_id: tradeId }).onConflict('trade_id').merge({ enqueued_at: null });
        await appendAudit(trx, [
          { actorUserId: actor.id, actor: actor.username, action: 'settlement.replay', subject: `trade:${tradeId}`, payload: { previousFailure: trade.failure_reason } },
        ]);
      });
      // The failed job still holds the id; remove it so the trade can be queued again.
      const job = await settlementQueue.getJob(settlementJobId(tradeId)).catch(() => undefined);
      await job?.remove().catch(() => {});
      await enqueueSettlements(settlementQueue, [tradeId]).catch(() => relay.sweep());
      return reply.status(202).send({ tradeId, status: 'pending' as const });
    },
  );
}
