import type { SettlementStatus } from '../../contract/common.ts';

// Rows of the tables many features read, as the pg driver returns them: numeric and bigint as
// strings, timestamps as Dates. A query that joins more columns extends these.

/** A row of `trades`. */
export interface TradeRow {
  id: string;
  symbol: string;
  price: string;
  quantity: string;
  amount: string;
  buyer_fee: string;
  seller_fee: string;
  buy_order_id: string;
  sell_order_id: string;
  buyer_id: string;
  seller_id: string;
  aggressor_side: 'buy' | 'sell';
  status: SettlementStatus;
  executed_at: Date;
}

/** A row of `lots`: one verified, registered lot. */
export interface LotRow {
  id: string;
  participant_id: string;
  symbol: string;
  quantity: string;
  region: string;
  source_project: string;
  verification_ref: string;
  vintage: number;
  attributes: Record<string, unknown>;
  created_at: Date;
}
