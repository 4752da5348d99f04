import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { conflict } from '../errors.ts';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { bearer, errorResponses } from '../shared/schemas.ts';
import { assertAcceptablePassword } from '../auth/password-policy.ts';
import { createStaffAccount, listStaff } from './staff-queries.ts';

// Staff accounts (operators and regulators) outside a demo exist only because an operator
// created them here, with a password the operator chose and the server checked.

const StaffBody = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Union([Type.Literal('regulator'), Type.Literal('operator')]),
  },
  { additionalProperties: false },
);
const StaffView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
});

export async function staffRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex } = app.platform;
  const operatorOnly = requireRole('operator');

  app.get(
    '/admin/staff',
    { preHandler: operatorOnly, schema: { tags: ['admin'], security: bearer, description: 'Operator and regulator accounts.', response: { 200: Type.Array(StaffView), ...errorResponses } } },
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
        body: StaffBody,
        response: { 201: StaffView, ...errorResponses },
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
