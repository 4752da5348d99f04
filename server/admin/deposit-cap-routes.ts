import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { DecimalString, bearer, errorResponses } from '../shared/schemas.ts';
import { depositCap, setDepositCap } from './deposit-cap.ts';

const CapView = Type.Object({ maxAmount: Type.Union([Type.String({ description: 'largest single deposit in CNY, e.g. "5000000.00"' }), Type.Null()]) });
const CapBody = Type.Object(
  { maxAmount: Type.Union([DecimalString('largest single deposit in CNY, e.g. "5000000.00"'), Type.Null()], { description: 'null removes the cap' }) },
  { additionalProperties: false },
);

export async function depositCapRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex } = app.platform;
  const operatorOnly = requireRole('operator');

  app.get(
    '/admin/deposit-cap',
    { preHandler: operatorOnly, schema: { tags: ['admin'], security: bearer, description: 'The largest single deposit an operator may confirm; null when none is set.', response: { 200: CapView, ...errorResponses } } },
    async () => ({ maxAmount: await depositCap(knex) }),
  );

  app.put(
    '/admin/deposit-cap',
    {
      preHandler: operatorOnly,
      schema: { tags: ['admin'], security: bearer, description: 'Set (or, with null, remove) the deposit cap; audited.', body: CapBody, response: { 200: CapView, ...errorResponses } },
    },
    async (request) => ({ maxAmount: await setDepositCap(knex, userOf(request), request.body.maxAmount) }),
  );
}
