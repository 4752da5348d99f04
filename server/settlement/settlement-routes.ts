import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { forbidden, notFound } from '../errors.ts';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { errorResponses, bearer } from '../shared/schemas.ts';

const TradeIdParam = Type.Object({ tradeId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) }, { additionalProperties: false });

export const SettlementSchema = Type.Object({
  tradeId: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('settled'), Type.Literal('failed')]),
  settledAt: Type.Union([Type.String(), Type.Null()]),
  certificateNo: Type.Union([Type.String(), Type.Null()]),
});

export async function settlementRoutes(app: FastifyInstance): Promise<void> {
  const { knex } = app.platform;
  app.get<{ Params: Static<typeof TradeIdParam> }>(
    '/settlements/:tradeId',
    {
      preHandler: requireRole('participant', 'regulator', 'operator'),
      schema: { tags: ['settlement'], security: bearer, params: TradeIdParam, response: { 200: SettlementSchema, ...errorResponses } },
    },
    async (request) => {
      const user = userOf(request);
      const row = await knex('trades as t')
        .leftJoin('settlements as s', 's.trade_id', 't.id')
        .where('t.id', request.params.tradeId)
        .first<{ id: string; status: 'pending' | 'settled' | 'failed'; buyer_id: string; seller_id: string; settled_at: Date | null; certificate_no: string | null } | undefined>(
          't.id',
          't.status',
          't.buyer_id',
          't.seller_id',
          's.settled_at',
          's.certificate_no',
        );
      if (!row) throw notFound('TRADE_NOT_FOUND', `no trade ${request.params.tradeId}`);
      if (user.role === 'participant' && user.participantId !== row.buyer_id && user.participantId !== row.seller_id) {
        throw forbidden('NOT_A_PARTY', 'only the parties to a trade, regulators and the operator can see its settlement');
      }
      return { tradeId: row.id, status: row.status, settledAt: row.settled_at?.toISOString() ?? null, certificateNo: row.certificate_no };
    },
  );
}
