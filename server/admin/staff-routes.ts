import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { conflict, unprocessable } from '../errors.ts';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { bearer, errorResponses } from '../shared/schemas.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { staffPasswordProblem } from '../setup/staff-password.ts';
import { createStaffUser } from './participants.ts';

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
const StaffView = Type.Object({ id: Type.String(), username: Type.String(), role: Type.String(), createdAt: Type.String({ format: 'date-time' }) });

interface StaffRow {
  id: string;
  username: string;
  role: string;
  created_at: Date;
}
const view = (r: StaffRow) => ({ id: r.id, username: r.username, role: r.role, createdAt: r.created_at.toISOString() });

export async function staffRoutes(app: FastifyInstance): Promise<void> {
  const { knex } = app.platform;
  const operatorOnly = requireRole('operator');

  app.get(
    '/admin/staff',
    { preHandler: operatorOnly, schema: { tags: ['admin'], security: bearer, description: 'Operator and regulator accounts.', response: { 200: Type.Array(StaffView), ...errorResponses } } },
    async () => (await knex('users').whereIn('role', ['operator', 'regulator']).orderBy('id').select<StaffRow[]>('id', 'username', 'role', 'created_at')).map(view),
  );

  app.post<{ Body: Static<typeof StaffBody> }>(
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
      const problem = staffPasswordProblem(username, password);
      if (problem) throw unprocessable(problem.code, problem.message);
      try {
        const row = await knex.transaction(async (trx) => {
          const { id } = await createStaffUser(trx, username, password, role);
          await appendAudit(trx, [{ actorUserId: actor.id, actor: actor.username, action: 'staff.create', subject: `user:${id}`, payload: { username, role } }]);
          return trx('users').where({ id }).first<StaffRow>('id', 'username', 'role', 'created_at');
        });
        return reply.status(201).send(view(row));
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw conflict('DUPLICATE_USERNAME', `username ${username} is taken`);
        throw error;
      }
    },
  );
}
