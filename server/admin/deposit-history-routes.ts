import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireRole } from '../auth/auth-plugin.ts';
import { bearer, errorResponses } from '../shared/schemas.ts';
import { DepositHistoryQuery, DepositRecord } from '../../contract/staff-admin.ts';
import { depositHistory } from './deposit-history.ts';

export async function depositHistoryRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/admin/deposits',
    {
      preHandler: requireRole('operator', 'regulator'),
      schema: {
        tags: ['admin'],
        security: bearer,
        description: 'Confirmed deposits, newest first, optionally of one participant: amount, bank reference, who confirmed it and when.',
        querystring: DepositHistoryQuery,
        response: { 200: Type.Array(DepositRecord), ...errorResponses },
      },
    },
    async (request) => depositHistory(app.platform.knex, request.query),
  );
}
