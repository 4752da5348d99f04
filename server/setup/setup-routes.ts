import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { errorResponses } from '../shared/schemas.ts';
import { createFirstOperator } from './first-operator.ts';
import { operatorExists } from './setup-store.ts';

const PlatformView = Type.Object({
  demo: Type.Boolean({ description: 'the database was created as a demo: its demo logins have published passwords' }),
  demoSince: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  needsSetup: Type.Boolean({ description: 'no operator exists yet: the first one is created with the setup token printed at start' }),
});

const SetupBody = Type.Object(
  {
    setupToken: Type.String({ minLength: 1, maxLength: 200, description: 'the one-time token the platform printed at start' }),
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export async function setupRoutes(app: FastifyInstance): Promise<void> {
  const { knex } = app.platform;

  app.get(
    '/platform',
    { schema: { tags: ['platform'], description: 'What kind of platform this is: a demo (banner on every screen) or one still waiting for its first operator.', response: { 200: PlatformView } } },
    async () => {
      const demo = app.platform.demoDatabase;
      return { demo: demo !== null, demoSince: demo?.createdAt ?? null, needsSetup: demo === null && !(await operatorExists(knex)) };
    },
  );

  app.post<{ Body: Static<typeof SetupBody> }>(
    '/setup/operator',
    {
      // The token has 192 random bits; the sign-in limit (shared by every node through Redis)
      // keeps the endpoint from being a load generator.
      config: { rateLimit: { max: app.platform.config.LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: ['platform'],
        description: 'Exchange the one-time setup token for the first operator. Answers 409 SETUP_COMPLETE once an operator exists.',
        body: SetupBody,
        response: { 201: Type.Object({ user: Type.Object({ id: Type.String(), username: Type.String(), role: Type.Literal('operator') }) }), ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const user = await createFirstOperator(knex, request.body);
      return reply.status(201).send({ user });
    },
  );
}
