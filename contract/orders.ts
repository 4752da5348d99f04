import { Type, type Static } from 'typebox';
import { DecimalString, Nullable, SIDES, StringEnum } from './common.ts';

// Order entry on the continuous market: POST/GET/PATCH/DELETE /api/orders.

export const ORDER_TYPES = ['limit', 'market'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export const TIMES_IN_FORCE = ['GTC', 'IOC', 'FOK', 'DAY'] as const;
export type TimeInForce = (typeof TIMES_IN_FORCE)[number];
export const ORDER_STATUSES = ['open', 'partially_filled', 'filled', 'cancelled', 'rejected'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PlaceOrderBody = Type.Object(
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
export type PlaceOrderBody = Static<typeof PlaceOrderBody>;

export const AmendOrderBody = Type.Object(
  {
    price: Type.Optional(DecimalString('new limit price')),
    quantity: Type.Optional(DecimalString('new total order quantity, filled part included')),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AmendOrderBody = Static<typeof AmendOrderBody>;

export const OrderListQuery = Type.Object(
  {
    status: Type.Union([Type.Literal('open'), Type.Literal('all')], { default: 'all' }),
    symbol: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);
export type OrderListQuery = Static<typeof OrderListQuery>;

export const Order = Type.Object({
  id: Type.String(),
  clientOrderId: Nullable(Type.String()),
  symbol: Type.String(),
  side: StringEnum(SIDES),
  type: StringEnum(ORDER_TYPES),
  timeInForce: StringEnum(TIMES_IN_FORCE),
  price: Nullable(Type.String()),
  quantity: Type.String(),
  filledQuantity: Type.String(),
  status: StringEnum(ORDER_STATUSES),
  cancelReason: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Order = Static<typeof Order>;

export const OrderFill = Type.Object({ tradeId: Type.String(), price: Type.String(), quantity: Type.String() });
export type OrderFill = Static<typeof OrderFill>;

/** What placing, reading, amending or cancelling an order answers. */
export const OrderResult = Type.Object({ order: Order, fills: Type.Array(OrderFill) });
export type OrderResult = Static<typeof OrderResult>;
