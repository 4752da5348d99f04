import type { Dec } from '../shared/decimal.ts';
import type { Side, TimeInForce, OrderKind } from '../../matching/types.ts';

export type OrderStatus = 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected';

/** The engine host's record of an order it has accepted; resting ones stay in memory. */
export interface LiveOrder {
  id: number;
  participantId: string;
  userId: string;
  clientOrderId: string | null;
  /** Written with a new order's row; not kept for orders rebuilt from PostgreSQL. */
  requestFingerprint?: string | null;
  symbol: string;
  side: Side;
  type: OrderKind;
  tif: TimeInForce;
  /** Limit price; null for a market order. */
  priceTicks: number | null;
  /** Current order quantity (amends change it); remaining = qtyLots − filledLots while open. */
  qtyLots: number;
  filledLots: number;
  status: OrderStatus;
  cancelReason: string | null;
  /** Cash locked per remaining lot for a buy; null for a sell. */
  reservePerLot: Dec | null;
  /** Fee rate (bps) this order's side pays, fixed when it was placed. */
  feeBps: number;
  priority: number;
  createdAt: Date;
  updatedAt: Date;
}

export const remainingLots = (o: LiveOrder) => o.qtyLots - o.filledLots;
