import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { conflict } from '../errors.ts';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { bearer, errorResponses } from '../shared/schemas.ts';
import { assertAcceptablePassword } from '../auth/password-policy.ts';
import { createStaffAccount, listStaff } from './staff-queries.ts';
import { NewStaffUser, StaffUser } from '../../contract/staff-admin.ts';

// Staff accounts (operators and regulators) outside a demo exist only because an operator
// created them here, with a password the operator chose and the server checked.

export async function staffRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex } = app.platform;
  const operatorOnly = requireRole('operator');

  app.get(
    '/admin/staff',
    { preHandler: operatorOnly, schema: { tags: ['admin'], security: bearer, description: 'Operator and regulator accounts.', response: { 200: Type.Array(StaffUser), ...errorResponses } } },
    async () => listStaff(knex),
  );

  app.post(
    '/admin/staff',
    {
      preHandler: operatorOnly,
      schema: {
        tags: ['admin'],
        security: bearer,
        description: 'Create an operator or regulator account (audited).',
        body: NewStaffUser,
        response: { 201: StaffUser, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = userOf(request);
      const { username, password, role } = request.body;
      assertAcceptablePassword(username, password);
      try {
        const created = await createStaffAccount(knex, actor, { username, password, role });
        return reply.status(201).send(created);
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw conflict('DUPLICATE_USERNAME', `username ${username} is taken`);
        throw error;
      }
    },
  );
}
