import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { unprocessable } from '../errors.ts';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { DecimalString, errorResponses, bearer } from '../shared/schemas.ts';
import { LotSchema } from '../account/account-routes.ts';
import { lotView } from '../account/account-views.ts';
import { admitParticipant, listParticipants } from './participants.ts';
import { confirmDeposit } from './deposits.ts';
import { listLots, registerLot } from './lot-registration.ts';
import { AdminParticipant } from '../../contract/staff-admin.ts';

const ParticipantBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 100 }),
    kind: Type.Union([Type.Literal('government'), Type.Literal('enterprise')]),
    region: Type.String({ minLength: 2, maxLength: 60, description: 'county or city, e.g. 上饶市婺源县' }),
    prefecture: Type.Optional(Type.String({ minLength: 2, maxLength: 30, description: '设区市; derived from region when omitted' })),
    username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
    password: Type.String({ minLength: 1, maxLength: 200, description: 'at least 12 characters, not common, not containing the username' }),
  },
  { additionalProperties: false },
);
const ParticipantView = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), region: Type.String(), prefecture: Type.String(), status: Type.String() });

const DepositBody = Type.Object(
  {
    participantId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }),
    amount: DecimalString('CNY amount credited, e.g. "5000000.00"'),
    reference: Type.String({ minLength: 1, maxLength: 100, description: 'bank transfer reference; unique per deposit' }),
  },
  { additionalProperties: false },
);

const LotBody = Type.Object(
  {
    participantId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }),
    indicatorType: Type.Union([Type.Literal('farmland'), Type.Literal('land_linkage'), Type.Literal('wetland'), Type.Literal('carbon_sink')]),
    symbol: Type.String({ minLength: 1, maxLength: 40 }),
    quantity: DecimalString('verified quantity in the instrument unit'),
    region: Type.String({ minLength: 2, maxLength: 60 }),
    sourceProject: Type.String({ minLength: 2, maxLength: 200 }),
    verificationRef: Type.String({ minLength: 2, maxLength: 100, description: '验收文号 / 备案号' }),
    vintage: Type.Integer({ minimum: 1990, maximum: 2100 }),
    attributes: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()]), { maxProperties: 20 })),
  },
  { additionalProperties: false },
);
const LotsQuery = Type.Object({ participantId: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$' })) }, { additionalProperties: false });

export async function adminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex, instruments, bus } = app.platform;
  const operatorOnly = requireRole('operator');

  app.post(
    '/admin/participants',
    {
      preHandler: operatorOnly,
      schema: {
        tags: ['admin'],
        security: bearer,
        description: 'Admit a participant (a government body or an enterprise) with its first user.',
        body: ParticipantBody,
        response: { 201: Type.Object({ participant: ParticipantView, user: Type.Object({ id: Type.String(), username: Type.String() }) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      return reply.status(201).send(await admitParticipant(knex, userOf(request), request.body));
    },
  );

  app.get(
    '/admin/participants',
    { preHandler: requireRole('operator', 'regulator'), schema: { tags: ['admin'], security: bearer, description: 'Every participant with its cash now.', response: { 200: Type.Array(AdminParticipant), ...errorResponses } } },
    async () => listParticipants(knex),
  );

  app.post(
    '/admin/deposits',
    {
      preHandler: operatorOnly,
      schema: {
        tags: ['admin'],
        security: bearer,
        description: 'Confirm a deposit received at the settlement bank: credits the participant’s available cash.',
        body: DepositBody,
        response: { 201: Type.Object({ transferId: Type.String(), participantId: Type.String(), amount: Type.String(), available: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await confirmDeposit(knex, userOf(request), request.body);
      bus.emit('balance', result.participantId);
      return reply.status(201).send(result);
    },
  );

  // No one-call path to new quantity in production: lots come from four-eyes review of a
  // submission. Test harnesses that drive a separate process may turn this route on.
  if (app.platform.config.LOT_DIRECT_REGISTRATION === 'on') app.post(
    '/admin/lots',
    {
      preHandler: operatorOnly,
      schema: {
        tags: ['admin'],
        security: bearer,
        description: 'Test harnesses only (LOT_DIRECT_REGISTRATION=on, never in production): register a verified lot in one call; credits its available holdings.',
        body: LotBody,
        response: { 201: LotSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const spec = instruments.spec(b.symbol);
      if (!spec) throw unprocessable('UNKNOWN_SYMBOL', `no instrument ${b.symbol}`);
      const lot = await registerLot(knex, userOf(request), spec, b);
      bus.emit('balance', b.participantId);
      return reply.status(201).send(lotView(instruments, lot));
    },
  );

  app.get(
    '/admin/lots',
    { preHandler: requireRole('operator', 'regulator'), schema: { tags: ['admin'], security: bearer, querystring: LotsQuery, response: { 200: Type.Array(LotSchema), ...errorResponses } } },
    async (request) => {
      return (await listLots(knex, request.query.participantId)).map((lot) => lotView(instruments, lot));
    },
  );
}
