import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorBody } from './shared/schemas.ts';
import { DemoUser } from '../contract/auth.ts';
import { usersWithChangedPassword } from './setup/demo-database.ts';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/health',
    { schema: { tags: ['platform'], response: { 200: Type.Object({ status: Type.Literal('ok'), instruments: Type.Integer() }) } } },
    async () => ({ status: 'ok' as const, instruments: app.platform.instruments.specs().length }),
  );
  app.get(
    '/demo-users',
    {
      schema: {
        tags: ['platform'],
        description: 'Demo logins, listed only when the database was created as a demo and this is a demo start (404 NOT_DEMO otherwise).',
        response: {
          200: Type.Array(DemoUser),
          404: ErrorBody,
        },
      },
    },
    async (_request, reply) => {
      const { demoUsers, knex } = app.platform;
      if (demoUsers.length === 0) return reply.status(404).send({ statusCode: 404, code: 'NOT_DEMO', message: 'this platform is not a demo: it has no published logins' });
      // A demo user who chose its own password (or was reset) no longer has the published one.
      const changed = await usersWithChangedPassword(knex, demoUsers.map((u) => u.username));
      return demoUsers.filter((u) => !changed.has(u.username));
    },
  );
}
