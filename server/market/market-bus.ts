import { EventEmitter } from 'node:events';
import type { OrderView } from '../engine/commands.ts';
import type { ListingBidView, ListingView } from '../listings/listing-views.ts';
import type { BlockView } from '../blocks/block-views.ts';
import type { InstrumentStatusChange } from '../../contract/regulator.ts';

export interface TradeView {
  id: string;
  symbol: string;
  price: string;
  quantity: string;
  amount: string;
  aggressorSide: 'buy' | 'sell';
  executedAt: string;
  /** Where the trade was made: the order book, or off it (block trade, listing); absent means the book. */
  venue?: 'book' | 'block' | 'listing';
}

export interface DepthView {
  symbol: string;
  sequence: number;
  bids: Array<{ price: string; quantity: string; orders: number }>;
  asks: Array<{ price: string; quantity: string; orders: number }>;
}

export interface SettlementView {
  tradeId: string;
  status: 'pending' | 'settled' | 'failed';
  settledAt: string | null;
  certificateNo: string | null;
  buyerId: string;
  sellerId: string;
  symbol: string;
}

/** What a halt, resume or session change leaves an instrument in: the contract's shape. */
export type InstrumentStatusView = InstrumentStatusChange;

/** A surveillance finding, raised when it is stored and again when a regulator acknowledges it. */
export interface AlertView {
  id: string;
  rule: 'wash_trading' | 'spoofing' | 'abnormal_price' | 'concentration' | 'marking_the_close' | 'volatility_halt' | 'lot_frozen' | 'lot_unfrozen' | 'lot_revoked';
  severity: 'info' | 'warning' | 'critical';
  symbol: string;
  participantIds: string[];
  /** The same participants with their names (null for one no longer on the register). */
  participants: Array<{ id: string; name: string | null }>;
  /** English, for API users; screens compose the text in the reader's language from rule and details. */
  message: string;
  /** Rule-specific figures; decimals as strings. */
  details: Record<string, unknown>;
  createdAt: string;
  status: 'open' | 'acknowledged';
}

/** What the platform tells its live subscribers, raised only after the change is committed. */
export interface MarketEvents {
  order: [participantId: string, order: OrderView];
  trade: [trade: TradeView, parties: { buyerId: string; sellerId: string }];
  book: [depth: DepthView];
  instrument: [status: InstrumentStatusView, actor: string, reason: string];
  settlement: [settlement: SettlementView];
  balance: [participantId: string];
  /** For the /regulator namespace only. */
  alert: [alert: AlertView];
  /** A listing auction's public board view (bidders anonymous); for everyone. */
  listing: [change: ListingChange, listing: ListingView];
  /** One listing bid; see ListingBidAudience for who may see it. */
  listingBid: [bid: ListingBidView, audience: ListingBidAudience];
  /** A block trade proposal and what became of it; for its two parties and the regulator. */
  blockTrade: [change: 'proposed' | 'confirmed' | 'rejected' | 'cancelled' | 'expired', block: BlockView];
  /** A trading-session change of one instrument (SESSIONS=on); for everyone. */
  session: [event: SessionEventView];
  /** A participant suspended or reinstated: its sockets may be closed; for the regulator too. */
  participantStatus: [change: { participantId: string; status: 'active' | 'suspended'; reason: string }];
}

/** The opening auction, the open, the midday break, the close; the close carries the closing price. */
export interface SessionEventView {
  symbol: string;
  /** Local trading day (Asia/Shanghai), null outside trading days. */
  tradingDay: string | null;
  phase: 'opening_auction' | 'open' | 'break' | 'closed';
  at: string;
  /** On 'open' after the opening call auction: its uncross price (null if nothing crossed). */
  openingPrice: string | null;
  /** On the close: the closing price, how it was taken, and the next trading day's reference price. */
  closePrice: string | null;
  closeMethod: 'vwap' | 'last' | 'previous' | null;
  referencePrice: string | null;
}

/** What changed on a listing auction's board. */
export type ListingChange = 'created' | 'registered' | 'bid' | 'extended' | 'withdrawn' | 'awarded' | 'failed' | 'cancelled' | 'objection' | 'capReached' | 'capAccepted' | 'commitment';

/**
 * Who may see a listing bid. Registered bidders and the seller see `bid` as it is (bidder number
 * only) and the regulator with the bidder named, unless the listing is sealed: then its bidder alone.
 */
export interface ListingBidAudience {
  listingId: string;
  sealed: boolean;
  bidderId: string;
  bidderName: string;
  sellerId: string;
  /** Participants registered to bid (active), the bidder included. */
  registeredIds: string[];
}

export class MarketBus extends EventEmitter<MarketEvents> {
  constructor() {
    super();
    this.setMaxListeners(100);
  }
}
