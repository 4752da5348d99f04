// Public contract of the pure order book. Integers only inside: prices in ticks, quantities in
// lots, ids and owners as safe integers. The server converts decimal strings at its boundary.
// Time is passed in with each command (`timestamp`, ms since epoch); the book never reads a clock.

export type Side = 'buy' | 'sell';
export type OrderKind = 'limit' | 'market';
export type TimeInForce = 'GTC' | 'DAY' | 'IOC' | 'FOK';
/** Self-trade prevention: what happens when an order would trade against its own owner. */
export type StpMode = 'none' | 'cancel_newest' | 'cancel_oldest' | 'cancel_both';
export type TradingMode = 'continuous' | 'auction' | 'halted';

export interface BookConfig {
  symbol: string;
  /** Reference price for the price band, in ticks. */
  referencePriceTicks: number;
  /** Half-width of the price band in basis points of the reference price (1000 = ±10%). */
  priceBandBps: number;
  /** Smallest accepted order quantity, in lots (>= 1). */
  minQtyLots: number;
  mode?: TradingMode;
}

export interface PlaceOrder {
  type: 'place';
  orderId: number;
  ownerId: number;
  side: Side;
  kind: OrderKind;
  /** Limit price in ticks; ignored for market orders (bounded by the band instead). */
  priceTicks: number;
  qtyLots: number;
  tif: TimeInForce;
  postOnly?: boolean;
  stp?: StpMode;
  timestamp: number;
}

export interface CancelOrder {
  type: 'cancel';
  orderId: number;
  timestamp: number;
}

/** Reducing quantity keeps time priority; a price change or quantity increase loses it. */
export interface AmendOrder {
  type: 'amend';
  orderId: number;
  /** New limit price in ticks; omitted keeps the price. */
  priceTicks?: number;
  /** New total remaining quantity in lots; omitted keeps it. */
  qtyLots?: number;
  timestamp: number;
}

export interface SetMode {
  type: 'setMode';
  mode: TradingMode;
  timestamp: number;
}

/** Ends a call auction: trades everything crossable at one price, then stays in auction mode. */
export interface Uncross {
  type: 'uncross';
  timestamp: number;
}

/** Session end: cancels every resting DAY order. */
export interface ExpireDay {
  type: 'expireDay';
  timestamp: number;
}

export interface SetReferencePrice {
  type: 'setReferencePrice';
  referencePriceTicks: number;
  timestamp: number;
}

export type BookCommand = PlaceOrder | CancelOrder | AmendOrder | SetMode | Uncross | ExpireDay | SetReferencePrice;

/** Closed set of outcomes; the server uses the reject codes as its API error codes. */
export type RejectCode =
  | 'INVALID_QUANTITY'
  | 'BELOW_MIN_QUANTITY'
  | 'INVALID_PRICE'
  | 'PRICE_OUT_OF_BAND'
  | 'DUPLICATE_ORDER_ID'
  | 'UNKNOWN_ORDER'
  | 'INSTRUMENT_HALTED'
  | 'POST_ONLY_WOULD_TRADE'
  | 'FOK_NOT_FILLABLE'
  | 'NO_LIQUIDITY'
  | 'MARKET_ORDER_IN_AUCTION'
  | 'AMEND_NO_CHANGE'
  | 'NOT_IN_AUCTION';

export type ResultCode = 'OK' | RejectCode;

export type CancelReason =
  | 'user'
  | 'ioc_remainder'
  | 'market_remainder'
  | 'fok_unfilled'
  | 'stp'
  | 'expired';

export type BookEvent =
  | { type: 'accepted'; orderId: number; ownerId: number; side: Side; priceTicks: number; qtyLots: number; timestamp: number }
  | {
      type: 'fill';
      /** Incoming (aggressor) order; in an auction uncross the later-arrived side. */
      takerOrderId: number;
      makerOrderId: number;
      takerOwnerId: number;
      makerOwnerId: number;
      aggressorSide: Side;
      priceTicks: number;
      qtyLots: number;
      takerRemainingLots: number;
      makerRemainingLots: number;
      timestamp: number;
    }
  /** The order (or what is left of it) now rests in the book. */
  | { type: 'rested'; orderId: number; priceTicks: number; remainingLots: number; timestamp: number }
  /** Quantity removed without trading; `remainingLots` is what was cancelled. */
  | { type: 'cancelled'; orderId: number; ownerId: number; remainingLots: number; reason: CancelReason; timestamp: number }
  | {
      type: 'amended';
      orderId: number;
      priceTicks: number;
      remainingLots: number;
      priorityLost: boolean;
      timestamp: number;
    }
  | { type: 'rejected'; orderId: number; code: RejectCode; timestamp: number }
  | { type: 'modeChanged'; mode: TradingMode; timestamp: number }
  | { type: 'referenceChanged'; referencePriceTicks: number; timestamp: number };

export interface ApplyResult {
  code: ResultCode;
  events: BookEvent[];
}

/** A resting order as seen in L3 views and snapshots. */
export interface RestingOrder {
  orderId: number;
  ownerId: number;
  side: Side;
  priceTicks: number;
  remainingLots: number;
  tif: TimeInForce;
  stp: StpMode;
  timestamp: number;
}

export interface DepthLevel {
  priceTicks: number;
  qtyLots: number;
  orders: number;
}

export interface Depth {
  sequence: number;
  bids: DepthLevel[];
  asks: DepthLevel[];
}

export interface BookSnapshot {
  config: BookConfig;
  mode: TradingMode;
  sequence: number;
  /** Resting orders of both sides, each side in priority order. */
  orders: RestingOrder[];
}
