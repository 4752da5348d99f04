// Public contract of the pure order book. Integers only inside: prices in ticks, quantities in
// lots, ids and owners as safe integers. The server converts decimal strings at its boundary.
// Time is passed in with each command (`timestamp`, ms since epoch); the book never reads a clock.
//
// Semantics of `OrderBook.apply` (matching/order-book.ts):
// - A rejected command changes nothing: result code = the reject code, the sequence is unchanged,
//   and events are `[rejected]` for place/cancel/amend, `[]` for the instrument-level commands.
// - Every other command that changes anything increments `sequence` by exactly one (so one
//   command = one book change = one market-data update); no-op commands (setMode to the current
//   mode, uncross with nothing to cross, expireDay with no DAY orders, the same reference price)
//   return OK with no events and leave the sequence alone.
// - place, amend and cancel report what became of the command's own order in the result:
//   `restedLots` (what now rests in the book) and `cancelledLots` with `cancelReason` (removed
//   without trading: user, ioc_remainder, market_remainder, fok_unfilled, stp); whatever else was
//   submitted was filled. Events carry what happened to the book around it: `fill`s (maker price,
//   one per maker order touched, in matching order) and `cancelled` (reason stp) for resting
//   makers removed by self-trade prevention at the point they happen. A place that simply rests,
//   or a cancel, has no events at all: the result is its only allocation.
// - Validation order for place: INVALID_ORDER, INSTRUMENT_HALTED, DUPLICATE_ORDER_ID,
//   INVALID_QUANTITY (lot size: a positive integer number of lots), BELOW_MIN_QUANTITY, then for
//   a market order MARKET_ORDER_IN_AUCTION, NO_LIQUIDITY; for a limit order INVALID_PRICE (tick
//   size: a positive integer number of ticks), PRICE_OUT_OF_BAND, TIF_NOT_ALLOWED_IN_AUCTION,
//   POST_ONLY_WOULD_TRADE.
// - FOK that cannot fill completely is an accepted order that is killed: result 'OK' with
//   cancelledLots = its quantity, reason fok_unfilled, no events and no STP side effects. The
//   server then has one order row (status cancelled) like any IOC that found nothing.
//   FOK_NOT_FILLABLE is therefore never returned by the book; it stays in the union for API
//   compatibility.
// - Market orders trade up to the band edge (buy: reference + band, sell: reference - band) and
//   never rest. With no opposite liquidity inside the band the order is rejected NO_LIQUIDITY
//   (nothing happens); otherwise the unfilled part is cancelled market_remainder (a market FOK:
//   fok_unfilled). Market orders are refused in auctions.
// - Self-trade prevention uses the incoming (taker) order's mode; default 'none'.
//   cancel_newest: the taker's remainder is cancelled (reason stp), the maker stays;
//   cancel_oldest: the maker is cancelled and matching continues; cancel_both: both cancelled.
// - cancel: cancelledLots = the remaining quantity, reason user; accepted in every mode.
// - amend: qtyLots is the new remaining quantity. A decrease alone keeps the queue place
//   (`amended` with priorityLost false; restedLots is the new quantity). A price change or an
//   increase loses it: `amended` (priorityLost true), then the order re-enters like a new order
//   with its own TIF and STP mode: `fill`s if the new price crosses (continuous mode), and the
//   result's restedLots (or cancelledLots, reason stp) as for a place. Its timestamp and
//   queuedSequence become the amend's.
// - Halted: place and amend are refused INSTRUMENT_HALTED; cancel, expireDay, setMode and
//   setReferencePrice work; uncross is NOT_IN_AUCTION.
// - Auction: limit orders (GTC/DAY, post-only allowed) collect without matching. `uncross`
//   trades at the single price given by `findUncrossPrice` (max volume, min imbalance, nearest
//   reference, then lower price); bids >= price are paired with asks <= price in priority order,
//   the later-queued order of each pair being the taker. Only if STP cancellations leave the book
//   crossed is the uncross repeated at a new equilibrium. setMode('continuous') on a crossed book
//   uncrosses it first (fills come before `modeChanged`).
// - Duplicate order ids are detected among live orders only (memory follows live orders); the
//   server keeps ids unique forever.

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
  | 'NOT_IN_AUCTION'
  /** Malformed command: id/owner not a safe integer, unknown side/kind/tif/stp/mode, non-finite
   * timestamp, or post-only combined with a market order or IOC/FOK. A server bug, not a user error. */
  | 'INVALID_ORDER'
  /** IOC and FOK need an immediate match, which a call auction never gives. */
  | 'TIF_NOT_ALLOWED_IN_AUCTION';

export type ResultCode = 'OK' | RejectCode;

export type CancelReason =
  | 'user'
  | 'ioc_remainder'
  | 'market_remainder'
  | 'fok_unfilled'
  | 'stp'
  | 'expired';

export type BookEvent =
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
  /** A resting order removed without trading (STP, expiry); `remainingLots` is what was cancelled. */
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
  /** What the command did to other orders and to the book (see the semantics above). */
  events: readonly BookEvent[];
  /** The book's sequence after this command (unchanged when the command changed nothing). */
  sequence: number;
  /** Accepted place, amend or cancel: lots of the command's own order now resting (0: none). */
  restedLots: number;
  /** Accepted place, amend or cancel: lots of its own order removed without trading (0: none). */
  cancelledLots: number;
  /** Why cancelledLots were removed; null when none were. */
  cancelReason: CancelReason | null;
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
  /** Timestamp of the command that gave the order its current queue position. */
  timestamp: number;
  /** Always present in what the book returns; absent means false. */
  postOnly?: boolean;
  /**
   * Book sequence of the command that gave the order its current queue position. An auction
   * uncross uses it to tell which of two orders arrived later (the taker). Always present in
   * what the book returns; a hand-built snapshot may omit it (treated as 0: arrived before any
   * order queued after the restore). If given it must not exceed the snapshot's `sequence`.
   */
  queuedSequence?: number;
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
