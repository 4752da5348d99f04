import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf, participantOf, requireRole } from '../auth/auth-plugin.ts';
import { bearer, errorResponses, IdParam } from '../shared/schemas.ts';
import { ControlledLot, FreezeBody, HolderLotControl, RevokeBody, UnfreezeBody } from '../../contract/lot-controls.ts';
import { LotControlService } from './lot-control-service.ts';

const ControlledLotsQuery = Type.Object(
  {
    participantId: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'lots registered to this participant' })),
    symbol: Type.Optional(Type.String({ pattern: '^[A-Z0-9_-]{1,40}$' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
  },
  { additionalProperties: false },
);

export async function lotControlRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex, engine, instruments, bus } = app.platform;
  const service = new LotControlService({ knex, engine, instruments, bus });
  const tags = ['lot controls'];

  app.get(
    '/lot-controls',
    {
      preHandler: requireRole('operator', 'regulator'),
      schema: { tags, security: bearer, description: 'Registered lots, newest first, with any open freeze and any revocation.', querystring: ControlledLotsQuery, response: { 200: Type.Array(ControlledLot), ...errorResponses } },
    },
    async (request) => service.list(request.query),
  );

  app.post(
    '/lots/:id/freeze',
    {
      preHandler: requireRole('operator', 'regulator'),
      schema: {
        tags,
        security: bearer,
        description: 'Freeze (冻结) a lot: every holder’s piece of it is locked and cannot be sold, listed, traded in a block or used. 409 LOT_ALREADY_FROZEN, LOT_REVOKED, LOT_IN_USE (a piece is committed to open orders, listings or blocks).',
        params: IdParam,
        body: FreezeBody,
        response: { 201: ControlledLot, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await service.freeze(actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/lots/:id/unfreeze',
    {
      preHandler: requireRole('operator', 'regulator'),
      schema: { tags, security: bearer, description: 'Lift a lot’s freeze: exactly what it locked becomes available again. 409 LOT_NOT_FROZEN, LOT_REVOKED.', params: IdParam, body: UnfreezeBody, response: { 200: ControlledLot, ...errorResponses } },
    },
    async (request) => service.unfreeze(actorOf(request), request.params.id, request.body.note),
  );

  app.post(
    '/lots/:id/revoke',
    {
      preHandler: requireRole('operator'),
      schema: {
        tags,
        security: bearer,
        description: 'Revoke (撤销) a lot whose documents proved false: what its registrant still holds goes back to issuance; what was sold onward stays with the buyers and is flagged to regulators. 409 LOT_REVOKED, LOT_FROZEN (lift the freeze first), LOT_IN_USE (withdraw open orders, listings, blocks first).',
        params: IdParam,
        body: RevokeBody,
        response: { 201: ControlledLot, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await service.revoke(actorOf(request), request.params.id, request.body.reason)),
  );

  app.get(
    '/account/lot-controls',
    {
      preHandler: requireRole('participant'),
      schema: { tags, security: bearer, description: 'Freezes locking the participant’s quantity and revocations that removed it.', response: { 200: Type.Array(HolderLotControl), ...errorResponses } },
    },
    async (request) => service.ofHolder(participantOf(request).participantId),
  );
}
