import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { errorResponses, bearer } from '../shared/schemas.ts';
import { money } from '../shared/decimal.ts';
import { deadLetters, reopenDeadLetter } from './settlement-queries.ts';
import { enqueueSettlements, settlementJobId } from './settlement-queue.ts';
import { DeadLetter, DeadLetterReplay, TradeIdParam } from '../../contract/settlement.ts';

/** Trades whose settlement failed for good: visible to operator and regulator, replayable by the operator. */
export async function deadLetterRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex, settlementQueue, relay } = app.platform;

  app.get(
    '/admin/settlements/dead-letters',
    { preHandler: requireRole('operator', 'regulator'), schema: { tags: ['settlement'], security: bearer, response: { 200: Type.Array(DeadLetter), ...errorResponses } } },
    async () => {
      const rows = await deadLetters(knex);
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

  app.post(
    '/admin/settlements/:tradeId/replay',
    {
      preHandler: requireRole('operator'),
      schema: {
        tags: ['settlement'],
        security: bearer,
        description: 'Sends a dead-lettered trade back to settlement (after the cause was fixed).',
        params: TradeIdParam,
        response: { 202: DeadLetterReplay, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = userOf(request);
      const { tradeId } = request.params;
      await reopenDeadLetter(knex, tradeId, (previousFailure) => ({
        actorUserId: actor.id,
        actor: actor.username,
        action: 'settlement.replay',
        subject: `trade:${tradeId}`,
        payload: { previousFailure },
      }));
      // The failed job still holds the id; remove it so the trade can be queued again.
      const job = await settlementQueue.getJob(settlementJobId(tradeId)).catch(() => undefined);
      await job?.remove().catch(() => {});
      await enqueueSettlements(settlementQueue, [tradeId]).catch(() => relay.sweep());
      return reply.status(202).send({ tradeId, status: 'pending' as const });
    },
  );
}
