import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../shared/schemas.ts';
import { createFirstOperator } from './first-operator.ts';
import { operatorExists } from './setup-store.ts';
import { FirstOperator, FirstOperatorBody, PlatformInfo } from '../../contract/setup.ts';

export async function setupRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex } = app.platform;

  app.get(
    '/platform',
    { schema: { tags: ['platform'], description: 'What kind of platform this is: a demo (banner on every screen) or one still waiting for its first operator.', response: { 200: PlatformInfo } } },
    async () => {
      const demo = app.platform.demoDatabase;
      return { demo: demo !== null, demoSince: demo?.createdAt ?? null, needsSetup: demo === null && !(await operatorExists(knex)) };
    },
  );

  app.post(
    '/setup/operator',
    {
      // The token has 192 random bits; the sign-in limit (shared by every node through Redis)
      // keeps the endpoint from being a load generator.
      config: { rateLimit: { max: app.platform.config.LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: ['platform'],
        description: 'Exchange the one-time setup token for the first operator. Answers 409 SETUP_COMPLETE once an operator exists.',
        body: FirstOperatorBody,
        response: { 201: FirstOperator, ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const user = await createFirstOperator(knex, request.body);
      return reply.status(201).send({ user });
    },
  );
}
