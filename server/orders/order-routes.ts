import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../errors.ts';
import { DecimalString, errorResponses, IdParam, bearer } from '../shared/schemas.ts';
import { participantOf, requireRole } from '../auth/auth-plugin.ts';
import type { CommandOutcome, FillView, OrderView } from '../engine/commands.ts';
import { fillsOf, findOrder, findOrderByClientId, ordersOf, storedOrderView } from './order-queries.ts';
import { ensureSameRequest, requestFingerprint } from '../shared/request-fingerprint.ts';
import type { StoredOrderRow } from './order-row.ts';

const PlaceBody = Type.Object(
  {
    symbol: Type.String({ minLength: 1, maxLength: 40 }),
    side: Type.Union([Type.Literal('buy'), Type.Literal('sell')]),
    type: Type.Union([Type.Literal('limit'), Type.Literal('market')], { default: 'limit' }),
    price: Type.Optional(DecimalString('limit price in CNY per unit, e.g. "368500.00"')),
    quantity: DecimalString('quantity in the instrument unit (亩, kg or tCO2e)'),
    timeInForce: Type.Union([Type.Literal('GTC'), Type.Literal('IOC'), Type.Literal('FOK'), Type.Literal('DAY')], { default: 'GTC' }),
    clientOrderId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$', description: 'repeating it with the same terms returns the first order; with other terms answers 409 IDEMPOTENCY_MISMATCH' })),
  },
  { additionalProperties: false },
);
const AmendBody = Type.Object(
  {
    price: Type.Optional(DecimalString('new limit price')),
    quantity: Type.Optional(DecimalString('new total order quantity, filled part included')),
  },
  { additionalProperties: false, minProperties: 1 },
);
const ListQuery = Type.Object(
  {
    status: Type.Union([Type.Literal('open'), Type.Literal('all')], { default: 'all' }),
    symbol: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

const OrderSchema = Type.Object({
  id: Type.String(),
  clientOrderId: Type.Union([Type.String(), Type.Null()]),
  symbol: Type.String(),
  side: Type.String(),
  type: Type.String(),
  timeInForce: Type.String(),
  price: Type.Union([Type.String(), Type.Null()]),
  quantity: Type.String(),
  filledQuantity: Type.String(),
  status: Type.String(),
  cancelReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const FillSchema = Type.Object({ tradeId: Type.String(), price: Type.String(), quantity: Type.String() });
const OrderResult = Type.Object({ order: OrderSchema, fills: Type.Array(FillSchema) });

type OrderReply = { order: OrderView; fills: FillView[] };

function unwrap(outcome: CommandOutcome): OrderReply {
  if (!outcome.ok) throw outcome.error;
  if (!('order' in outcome)) throw new Error('engine answered an order command without an order');
  return { order: outcome.order, fills: outcome.fills };
}

export async function orderRoutes(app: FastifyInstance): Promise<void> {
  const { engine, knex } = app.platform;
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
  const replay = async (row: StoredOrderRow): Promise<OrderReply> => ({ order: storedOrderView(row, engine), fills: await fillsOf(knex, engine, row) });

  app.post<{ Body: Static<typeof PlaceBody> }>(
    '/orders',
    {
      preHandler: participantOnly,
      schema: { tags: ['orders'], security: bearer, body: PlaceBody, response: { 201: OrderResult, ...errorResponses } },
    },
    async (request, reply) => {
      const { participantId, kind, user } = participantOf(request);
      const body = request.body;
      const spec = engine.spec(body.symbol);
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

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/orders',
    { preHandler: participantOnly, schema: { tags: ['orders'], security: bearer, querystring: ListQuery, response: { 200: Type.Array(OrderSchema), ...errorResponses } } },
    async (request) => {
      const { participantId } = participantOf(request);
      const rows = await ordersOf(knex, participantId, request.query);
      return rows.map((r) => storedOrderView(r, engine));
    },
  );

  app.get<{ Params: Static<typeof IdParam> }>(
    '/orders/:id',
    { preHandler: participantOnly, schema: { tags: ['orders'], security: bearer, params: IdParam, response: { 200: OrderResult, ...errorResponses } } },
    async (request) => replay(await ownOrder(participantOf(request).participantId, request.params.id)),
  );

  app.patch<{ Params: Static<typeof IdParam>; Body: Static<typeof AmendBody> }>(
    '/orders/:id',
    {
      preHandler: participantOnly,
      schema: {
        tags: ['orders'],
        security: bearer,
        description: 'Amend an open order. Reducing quantity keeps time priority; a price change or a larger quantity loses it.',
        params: IdParam,
        body: AmendBody,
        response: { 200: OrderResult, ...errorResponses },
      },
    },
    async (request) => {
      const { participantId, user } = participantOf(request);
      const row = await ownOrder(participantId, request.params.id);
      if (!['open', 'partially_filled'].includes(row.status)) throw conflict('ORDER_NOT_OPEN', `order ${row.id} is ${row.status}`);
      const spec = engine.spec(row.symbol)!;
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

  app.delete<{ Params: Static<typeof IdParam> }>(
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
