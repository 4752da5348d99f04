import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { advanceSimulation } from './simulation.ts';
import { bearer, errorResponses } from '../shared/schemas.ts';
import { AdvanceClockBody, SimulationClock } from '../../contract/simulation.ts';

/** Only in a simulation (SIMULATION_START set): read market time, and let an operator move it forward. */
export async function simulationRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { config, clock, scheduler, knex } = app.platform;
  if (!config.SIMULATION_START) return;

  app.get(
    '/simulation/clock',
    { schema: { tags: ['simulation'], description: 'Market time of this simulation.', response: { 200: SimulationClock } } },
    async () => ({ now: clock.now().toISOString() }),
  );

  app.post(
    '/admin/simulation/advance',
    {
      preHandler: requireRole('operator'),
      schema: {
        tags: ['simulation'],
        security: bearer,
        description: 'Moves market time forward to `to`, running every listing phase, deadline and trading-session change due on the way (audited).',
        body: AdvanceClockBody,
        response: { 200: SimulationClock, ...errorResponses },
      },
    },
    async (request) => ({ now: (await advanceSimulation({ knex, clock, scheduler }, userOf(request), new Date(request.body.to))).toISOString() }),
  );
}
