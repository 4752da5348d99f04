import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf, requireRole, userOf } from '../auth/auth-plugin.ts';
import { errorResponses, IdParam } from '../shared/schemas.ts';
import { instrumentSettingRoute, signedInRoutes } from '../http/route-options.ts';
import { Block, BlockListQuery, BlockMinimum, BlockMinimumBody, BlockReasonBody, Counterparty, ProposeBlockBody } from '../../contract/blocks.ts';
import type { BlockCaller } from './block-service.ts';

function callerOf(request: FastifyRequest): BlockCaller {
  const user = userOf(request);
  return { actor: actorOf(request), participantId: user.participantId, role: user.role };
}

/** Block trades (大宗协议): propose, confirm or reject, withdraw; the operator's minimum sizes. */
export async function blockRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const blocks = () => app.platform.blocks;
  const participantOnly = requireRole('participant');
  const anyone = requireRole('participant', 'regulator', 'operator');
  const signedIn = signedInRoutes(['blocks']);

  app.post(
    '/blocks',
    signedIn(participantOnly, {
      description: 'Propose a block trade to a counterparty. Your side (cash for amount + fee, or the quantity) is locked until it is confirmed, rejected, withdrawn or expires.',
      body: ProposeBlockBody,
      response: { 201: Block, ...errorResponses },
    }),
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

  app.get(
    '/blocks',
    signedIn(anyone, { description: 'Block trades, newest first: a participant’s own; all for the regulator and operator.', querystring: BlockListQuery, response: { 200: Type.Array(Block), ...errorResponses } }),
    async (request) => blocks().list(callerOf(request), { status: request.query.status ?? null, symbol: request.query.symbol ?? null, limit: request.query.limit }),
  );

  app.get(
    '/blocks/counterparties',
    signedIn(participantOnly, { description: 'Active participants a block trade can be proposed to.', response: { 200: Type.Array(Counterparty), ...errorResponses } }),
    async (request) => blocks().counterparties(callerOf(request).participantId),
  );

  app.get('/blocks/:id', signedIn(anyone, { params: IdParam, response: { 200: Block, ...errorResponses } }), async (request) => blocks().get(callerOf(request), request.params.id));

  app.post(
    '/blocks/:id/confirm',
    signedIn(participantOnly, { description: 'Confirm as the counterparty: locks your side and makes the trade, which settles like any other.', params: IdParam, response: { 200: Block, ...errorResponses } }),
    async (request) => blocks().confirm(callerOf(request), request.params.id),
  );

  app.post(
    '/blocks/:id/reject',
    signedIn(participantOnly, { description: 'Decline as the counterparty.', params: IdParam, body: BlockReasonBody, response: { 200: Block, ...errorResponses } }),
    async (request) => blocks().end(callerOf(request), request.params.id, 'rejected', request.body.reason ?? null),
  );

  app.post(
    '/blocks/:id/cancel',
    signedIn(participantOnly, { description: 'Withdraw your proposal before it is confirmed.', params: IdParam, body: BlockReasonBody, response: { 200: Block, ...errorResponses } }),
    async (request) => blocks().end(callerOf(request), request.params.id, 'cancelled', request.body.reason ?? null),
  );

  app.put(
    '/admin/instruments/:symbol/block-minimum',
    instrumentSettingRoute('blocks', 'Set the least quantity of a block trade in this instrument.', BlockMinimumBody, BlockMinimum),
    async (request) => blocks().setMinimum(actorOf(request), request.params.symbol, request.body.quantity),
  );
}
