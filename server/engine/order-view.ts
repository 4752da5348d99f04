import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import type { LiveOrder } from './live-order.ts';
import type { OrderView } from './commands.ts';

export function orderView(order: LiveOrder, spec: InstrumentSpec): OrderView {
  return {
    id: String(order.id),
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    timeInForce: order.tif,
    price: order.priceTicks === null ? null : spec.ticksToPrice(order.priceTicks),
    quantity: spec.lotsToQuantity(order.qtyLots),
    filledQuantity: spec.lotsToQuantity(order.filledLots),
    status: order.status,
    cancelReason: order.cancelReason,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
