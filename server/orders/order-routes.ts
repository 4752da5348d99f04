import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../errors.ts';
import { errorResponses, IdParam, bearer } from '../shared/schemas.ts';
import { AmendOrderBody, Order, OrderListQuery, OrderResult, PlaceOrderBody } from '../../contract/orders.ts';
import { participantOf, requireRole } from '../auth/auth-plugin.ts';
import type { AmendCommand, CancelCommand, FillView, OrderView, OutcomeOf, PlaceCommand } from '../engine/commands.ts';
import { fillsOf, findOrder, findOrderByClientId, ordersOf, storedOrderView } from './order-queries.ts';
import { ensureSameRequest, requestFingerprint } from '../shared/request-fingerprint.ts';
import type { StoredOrderRow } from './order-row.ts';

type OrderReply = { order: OrderView; fills: FillView[] };

function unwrap(outcome: OutcomeOf<PlaceCommand | AmendCommand | CancelCommand>): OrderReply {
  if (!outcome.ok) throw outcome.error;
  return { order: outcome.order, fills: outcome.fills };
}

export async function orderRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { engine, instruments, knex } = app.platform;
  const participantOnly = requireRole('participant');
  // Requests with a clientOrderId still on their way through the engine, so a quick retry waits
  // for the first instead of placing a second order.
  const inFlight = new Map<string, { fingerprint: string; result: Promise<OrderReply> }>();

  const ownOrder = async (participantId: string, id: string): Promise<StoredOrderRow> => {
    const row = await findOrder(knex, id);
    if (!row) throw notFound('ORDER_NOT_FOUND', `no order ${id}`);
    if (row.participant_id !== participantId) throw forbidden('ORDER_NOT_OWNED', `order ${id} belongs to another participant`);
    return row;
  };
  const replay = async (row: StoredOrderRow): Promise<OrderReply> => ({ order: storedOrderView(row, instruments), fills: await fillsOf(knex, instruments, row) });

  app.post(
    '/orders',
    {
      preHandler: participantOnly,
      schema: { tags: ['orders'], security: bearer, body: PlaceOrderBody, response: { 201: OrderResult, ...errorResponses } },
    },
    async (request, reply) => {
      const { participantId, kind, user } = participantOf(request);
      const body = request.body;
      const spec = instruments.spec(body.symbol);
      if (!spec) throw unprocessable('UNKNOWN_SYMBOL', `no instrument ${body.symbol}`);
      if (body.side === 'sell' && spec.row.seller_kinds === 'government' && kind !== 'government') {
        throw forbidden('SELLER_NOT_ELIGIBLE', `${spec.row.name_zh} may be sold only by government bodies (政府主导)`);
      }
      if (body.type === 'limit' && body.price === undefined) throw badRequest('PRICE_REQUIRED', 'a limit order needs a price');
      if (body.type === 'market' && body.price !== undefined) throw badRequest('PRICE_NOT_ALLOWED', 'a market order takes no price; it is bounded by the price band');
      if (body.type === 'market' && (body.timeInForce === 'GTC' || body.timeInForce === 'DAY')) {
        throw badRequest('MARKET_ORDER_TIF', 'a market order never rests: use IOC or FOK');
      }
      const priceTicks = body.price === undefined ? null : spec.priceToTicks(body.price);
      const qtyLots = spec.quantityToLots(body.quantity);
      spec.ensureTradable();

      const fingerprint = body.clientOrderId ? requestFingerprint(['place', spec.symbol, body.side, body.type, priceTicks, qtyLots, body.timeInForce]) : null;
      const submit = async (): Promise<OrderReply> =>
        unwrap(
          await engine.submit({
            kind: 'place',
            actor: { userId: user.id, username: user.username },
            participantId,
            participantKind: kind,
            symbol: spec.symbol,
            side: body.side,
            type: body.type,
            priceTicks,
            qtyLots,
            tif: body.timeInForce,
            clientOrderId: body.clientOrderId ?? null,
            requestFingerprint: fingerprint,
          }),
        );

      if (!body.clientOrderId) return reply.status(201).send(await submit());
      const key = `${participantId}|${body.clientOrderId}`;
      const keyName = `clientOrderId ${body.clientOrderId}`;
      const pending = inFlight.get(key);
      if (pending) {
        ensureSameRequest(pending.fingerprint, fingerprint!, keyName);
        return reply.status(201).header('idempotent-replay', 'true').send(await pending.result);
      }
      const attempt = (async () => {
        const existing = await findOrderByClientId(knex, participantId, body.clientOrderId!);
        if (existing) {
          ensureSameRequest(existing.request_fingerprint, fingerprint!, keyName);
          return { replayed: true, result: await replay(existing) };
        }
        return { replayed: false, result: await submit() };
      })();
      const shared = attempt.then((a) => a.result);
      shared.catch(() => {}); // the caller below handles the failure; waiters get it from `shared`
      inFlight.set(key, { fingerprint: fingerprint!, result: shared });
      try {
        const { replayed, result } = await attempt;
        if (replayed) reply.header('idempotent-replay', 'true');
        return reply.status(201).send(result);
      } finally {
        inFlight.delete(key);
      }
    },
  );

  app.get(
    '/orders',
    { preHandler: participantOnly, schema: { tags: ['orders'], security: bearer, querystring: OrderListQuery, response: { 200: Type.Array(Order), ...errorResponses } } },
    async (request) => {
      const { participantId } = participantOf(request);
      const rows = await ordersOf(knex, participantId, request.query);
      return rows.map((r) => storedOrderView(r, instruments));
    },
  );

  app.get(
    '/orders/:id',
    { preHandler: participantOnly, schema: { tags: ['orders'], security: bearer, params: IdParam, response: { 200: OrderResult, ...errorResponses } } },
    async (request) => replay(await ownOrder(participantOf(request).participantId, request.params.id)),
  );

  app.patch(
    '/orders/:id',
    {
      preHandler: participantOnly,
      schema: {
        tags: ['orders'],
        security: bearer,
        description: 'Amend an open order. Reducing quantity keeps time priority; a price change or a larger quantity loses it.',
        params: IdParam,
        body: AmendOrderBody,
        response: { 200: OrderResult, ...errorResponses },
      },
    },
    async (request) => {
      const { participantId, user } = participantOf(request);
      const row = await ownOrder(participantId, request.params.id);
      if (!['open', 'partially_filled'].includes(row.status)) throw conflict('ORDER_NOT_OPEN', `order ${row.id} is ${row.status}`);
      const spec = instruments.spec(row.symbol)!;
      if (request.body.price !== undefined && row.type === 'market') throw badRequest('PRICE_NOT_ALLOWED', 'a market order has no price');
      return unwrap(
        await engine.submit({
          kind: 'amend',
          actor: { userId: user.id, username: user.username },
          participantId,
          orderId: Number(row.id),
          priceTicks: request.body.price === undefined ? null : spec.priceToTicks(request.body.price),
          qtyLots: request.body.quantity === undefined ? null : spec.quantityToLots(request.body.quantity),
        }),
      );
    },
  );

  app.delete(
    '/orders/:id',
    {
      preHandler: participantOnly,
      schema: { tags: ['orders'], security: bearer, description: 'Cancel an open order; its reservation is released.', params: IdParam, response: { 200: OrderResult, ...errorResponses } },
    },
    async (request) => {
      const { participantId, user } = participantOf(request);
      // A live order is known to the engine, which checks ownership itself: no read on the hot
      // path. Only an order the engine no longer holds needs the ledger for a precise answer.
      if (!engine.liveOrder(Number(request.params.id))) {
        const row = await ownOrder(participantId, request.params.id);
        if (!['open', 'partially_filled'].includes(row.status)) throw conflict('ORDER_NOT_OPEN', `order ${row.id} is ${row.status}`);
      }
      return unwrap(await engine.submit({ kind: 'cancel', actor: { userId: user.id, username: user.username }, participantId, orderId: Number(request.params.id) }));
    },
  );
}
