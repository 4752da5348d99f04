import type { Knex } from 'knex';
import { fixed } from '../shared/decimal.ts';
import type { FillView, OrderView } from '../engine/commands.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import type { StoredOrderRow } from './order-row.ts';

export function storedOrderView(row: StoredOrderRow, instruments: InstrumentCatalog): OrderView {
  const spec = instruments.spec(row.symbol);
  const pricePlaces = spec?.pricePlaces ?? 2;
  const qtyPlaces = spec?.qtyPlaces ?? 2;
  return {
    id: row.id,
    clientOrderId: row.client_order_id,
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    timeInForce: row.time_in_force,
    price: row.price === null ? null : fixed(row.price, pricePlaces),
    quantity: fixed(row.quantity, qtyPlaces),
    filledQuantity: fixed(row.filled_quantity, qtyPlaces),
    status: row.status,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function findOrder(knex: Knex, id: string): Promise<StoredOrderRow | undefined> {
  return knex('orders').where({ id }).first<StoredOrderRow | undefined>();
}

export async function findOrderByClientId(knex: Knex, participantId: string, clientOrderId: string): Promise<StoredOrderRow | undefined> {
  return knex('orders').where({ participant_id: participantId, client_order_id: clientOrderId }).first<StoredOrderRow | undefined>();
}

export async function fillsOf(knex: Knex, instruments: InstrumentCatalog, order: StoredOrderRow): Promise<FillView[]> {
  const column = order.side === 'buy' ? 'buy_order_id' : 'sell_order_id';
  const spec = instruments.spec(order.symbol);
  const rows = await knex('trades').where(column, order.id).orderBy('id').select<Array<{ id: string; price: string; quantity: string }>>('id', 'price', 'quantity');
  return rows.map((t) => ({ tradeId: t.id, price: fixed(t.price, spec?.pricePlaces ?? 2), quantity: fixed(t.quantity, spec?.qtyPlaces ?? 2) }));
}

/** The participant's orders, newest first; `open` keeps those still resting. */
export async function ordersOf(db: Knex | Knex.Transaction, participantId: string, filter: { status: 'open' | 'all'; symbol?: string; limit: number }): Promise<StoredOrderRow[]> {
  const q = db('orders').where({ participant_id: participantId });
  if (filter.status === 'open') q.whereIn('status', ['open', 'partially_filled']);
  if (filter.symbol) q.where({ symbol: filter.symbol });
  return q.orderBy('id', 'desc').limit(filter.limit).select<StoredOrderRow[]>('*');
}
