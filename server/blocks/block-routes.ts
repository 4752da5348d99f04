import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { requireRole, userOf } from '../auth/auth-plugin.ts';
import { DecimalString, errorResponses, IdParam, SymbolParam, bearer } from '../shared/schemas.ts';
import { BlockSchema } from './block-views.ts';
import type { BlockCaller } from './block-service.ts';

const ProposeBody = Type.Object(
  {
    symbol: Type.String({ minLength: 1, maxLength: 40 }),
    side: Type.Union([Type.Literal('buy'), Type.Literal('sell')], { description: 'your side of the trade' }),
    counterpartyId: Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'the participant who must confirm (see GET /api/blocks/counterparties)' }),
    price: DecimalString('agreed price per unit; within ±30% of the reference price'),
    quantity: DecimalString('agreed quantity; at least the instrument’s block minimum'),
    confirmWithinMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, description: 'how long the counterparty has to confirm (default from configuration)' })),
    note: Type.Optional(Type.String({ maxLength: 500, description: 'e.g. the agreement’s reference' })),
  },
  { additionalProperties: false },
);
const ReasonBody = Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, { additionalProperties: false });
const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('proposed'), Type.Literal('confirmed'), Type.Literal('rejected'), Type.Literal('cancelled'), Type.Literal('expired')])),
    symbol: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);
const MinimumBody = Type.Object({ quantity: DecimalString('least quantity of a block trade, in the instrument unit') }, { additionalProperties: false });
const Counterparty = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), region: Type.String() });

function callerOf(request: FastifyRequest): BlockCaller {
  const user = userOf(request);
  return { actor: { userId: user.id, username: user.username }, participantId: user.participantId, role: user.role };
}

/** Block trades (大宗协议): propose, confirm or reject, withdraw; the operator's minimum sizes. */
export async function blockRoutes(app: FastifyInstance): Promise<void> {
  const blocks = () => app.platform.blocks;
  const participantOnly = requireRole('participant');
  const tags = ['blocks'];

  app.post<{ Body: Static<typeof ProposeBody> }>(
    '/blocks',
    {
      preHandler: participantOnly,
      schema: {
        tags,
        security: bearer,
        description: 'Propose a block trade to a counterparty. Your side (cash for amount + fee, or the quantity) is locked until it is confirmed, rejected, withdrawn or expires.',
        body: ProposeBody,
        response: { 201: BlockSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const view = await blocks().propose(callerOf(request), {
        symbol: b.symbol,
        side: b.side,
        counterpartyId: b.counterpartyId,
        price: b.price,
        quantity: b.quantity,
        confirmWithinMinutes: b.confirmWithinMinutes ?? null,
        note: b.note ?? null,
      });
      return reply.status(201).send(view);
    },
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/blocks',
    {
      preHandler: requireRole('participant', 'regulator', 'operator'),
      schema: { tags, security: bearer, description: 'Block trades, newest first: a participant’s own; all for the regulator and operator.', querystring: ListQuery, response: { 200: Type.Array(BlockSchema), ...errorResponses } },
    },
    async (request) => blocks().list(callerOf(request), { status: request.query.status ?? null, symbol: request.query.symbol ?? null, limit: request.query.limit }),
  );

  app.get(
    '/blocks/counterparties',
    { preHandler: participantOnly, schema: { tags, security: bearer, description: 'Active participants a block trade can be proposed to.', response: { 200: Type.Array(Counterparty), ...errorResponses } } },
    async (request) => blocks().counterparties(callerOf(request).participantId),
  );

  app.get<{ Params: Static<typeof IdParam> }>(
    '/blocks/:id',
    { preHandler: requireRole('participant', 'regulator', 'operator'), schema: { tags, security: bearer, params: IdParam, response: { 200: BlockSchema, ...errorResponses } } },
    async (request) => blocks().get(callerOf(request), request.params.id),
  );

  app.post<{ Params: Static<typeof IdParam> }>(
    '/blocks/:id/confirm',
    {
      preHandler: participantOnly,
      schema: { tags, security: bearer, description: 'Confirm as the counterparty: locks your side and makes the trade, which settles like any other.', params: IdParam, response: { 200: BlockSchema, ...errorResponses } },
    },
    async (request) => blocks().confirm(callerOf(request), request.params.id),
  );

  app.post<{ Params: Static<typeof IdParam>; Body: Static<typeof ReasonBody> }>(
    '/blocks/:id/reject',
    { preHandler: participantOnly, schema: { tags, security: bearer, description: 'Decline as the counterparty.', params: IdParam, body: ReasonBody, response: { 200: BlockSchema, ...errorResponses } } },
    async (request) => blocks().end(callerOf(request), request.params.id, 'rejected', request.body.reason ?? null),
  );

  app.post<{ Params: Static<typeof IdParam>; Body: Static<typeof ReasonBody> }>(
    '/blocks/:id/cancel',
    { preHandler: participantOnly, schema: { tags, security: bearer, description: 'Withdraw your proposal before it is confirmed.', params: IdParam, body: ReasonBody, response: { 200: BlockSchema, ...errorResponses } } },
    async (request) => blocks().end(callerOf(request), request.params.id, 'cancelled', request.body.reason ?? null),
  );

  app.put<{ Params: Static<typeof SymbolParam>; Body: Static<typeof MinimumBody> }>(
    '/admin/instruments/:symbol/block-minimum',
    {
      preHandler: requireRole('operator'),
      schema: {
        tags: ['admin', 'blocks'],
        security: bearer,
        description: 'Set the least quantity of a block trade in this instrument.',
        params: SymbolParam,
        body: MinimumBody,
        response: { 200: Type.Object({ symbol: Type.String(), blockMinQuantity: Type.String() }), ...errorResponses },
      },
    },
    async (request) => blocks().setMinimum(callerOf(request).actor, request.params.symbol, request.body.quantity),
  );
}
