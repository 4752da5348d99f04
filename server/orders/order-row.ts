import type { OrderStatus } from '../engine/live-order.ts';

// Its own module because both sides read order rows: the engine host when it rebuilds the books
// at start, the orders queries when they answer reads. Kept here, it lets neither import the other.

/** A row of the orders table as node-postgres returns it (numeric and int8 as strings). */
export interface StoredOrderRow {
  id: string;
  participant_id: string;
  user_id: string;
  client_order_id: string | null;
  request_fingerprint?: string | null;
  symbol: string;
  side: 'buy' | 'sell';
  type: 'limit' | 'market';
  time_in_force: 'GTC' | 'IOC' | 'FOK' | 'DAY';
  price: string | null;
  quantity: string;
  filled_quantity: string;
  status: OrderStatus;
  cancel_reason: string | null;
  reserve_per_lot: string | null;
  fee_bps: number | null;
  priority: string;
  created_at: Date;
  updated_at: Date;
}
