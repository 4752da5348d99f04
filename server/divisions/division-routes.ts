import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../shared/schemas.ts';
import { Division, DivisionQuery } from '../../contract/lot-submissions.ts';
import { divisionsOf } from './divisions.ts';

/** Reference data anyone may read: the counties (区县) of a province, for forms and names. */
export async function divisionRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/divisions',
    {
      schema: {
        tags: ['reference'],
        description: 'County-level administrative divisions (GB/T 2260) of a province; Jiangxi (36) by default.',
        querystring: DivisionQuery,
        response: { 200: Type.Array(Division), ...errorResponses },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'public, max-age=86400');
      return divisionsOf(request.query.province);
    },
  );
}
