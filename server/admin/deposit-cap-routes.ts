import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { bearer, errorResponses } from '../shared/schemas.ts';
import { depositCap, setDepositCap } from './deposit-cap.ts';
import { DepositCap, DepositCapBody } from '../../contract/staff-admin.ts';

export async function depositCapRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex } = app.platform;
  const operatorOnly = requireRole('operator');

  app.get(
    '/admin/deposit-cap',
    { preHandler: operatorOnly, schema: { tags: ['admin'], security: bearer, description: 'The largest single deposit an operator may confirm; null when none is set.', response: { 200: DepositCap, ...errorResponses } } },
    async () => ({ maxAmount: await depositCap(knex) }),
  );

  app.put(
    '/admin/deposit-cap',
    {
      preHandler: operatorOnly,
      schema: { tags: ['admin'], security: bearer, description: 'Set (or, with null, remove) the deposit cap; audited.', body: DepositCapBody, response: { 200: DepositCap, ...errorResponses } },
    },
    async (request) => ({ maxAmount: await setDepositCap(knex, userOf(request), request.body.maxAmount) }),
  );
}
