import type { DecimalString, IndicatorType, ParticipantKind, Role, Side, SettlementStatus } from '../../../../contract/common.ts';

// The HTTP contract as the client compiles against it: the server's own TypeBox schemas in
// contract/, re-exported here so features have one door to them. Every amount, price and
// quantity is a decimal string; the client never turns them into floating-point numbers.

// ApiErrorBody is the name client.ts mirrors the server's error body under.
export type { DecimalString, ErrorBody, ErrorBody as ApiErrorBody, IndicatorType, ParticipantKind, Role, Side, SettlementStatus } from '../../../../contract/common.ts';
export type { Order, OrderFill, OrderResult, OrderStatus, OrderType, PlaceOrderBody, TimeInForce } from '../../../../contract/orders.ts';

export type InstrumentStatus = 'trading' | 'auction' | 'halted';


export interface Participant {
  id: number | string;
  name: string;
  kind: ParticipantKind;
  region: string;
  prefecture?: string;
}

export interface SessionUser {
  id: number | string;
  username: string;
  role: Role;
  participantId: number | string | null;
  /** A reset password: the user must choose a new one before anything else. */
  mustChangePassword?: boolean;
}

export interface Me extends SessionUser {
  participant: Participant | null;
}

export interface LoginResponse {
  token: string;
  /** Seconds the access token stays valid. */
  expiresIn?: number;
  user: SessionUser;
}

export interface DemoUser {
  username: string;
  password: string;
  /** "operator", "regulator" or "participant:government" / "participant:enterprise". */
  role: string;
  participantName: string | null;
}

export interface Instrument {
  symbol: string;
  indicatorType: IndicatorType;
  nameZh: string;
  name: string;
  unit: string;
  tickSize: DecimalString;
  lotSize: DecimalString;
  priceBandPct: DecimalString;
  referencePrice: DecimalString;
  /** Lowest and highest accepted limit price (the band on the tick grid), when the server sends them. */
  bandLow?: DecimalString;
  bandHigh?: DecimalString;
  status: InstrumentStatus;
  haltReason?: string | null;
  lastPrice?: DecimalString | null;
  changePct?: DecimalString | null;
  dayVolume?: DecimalString;
  dayValue?: DecimalString;
  dayTrades?: number;
  minQuantity?: number | DecimalString;
  buyerFeeBps?: number;
  sellerFeeBps?: number;
  sellerKinds?: 'government' | 'any';
  /** 指导价: no listing auction may start below it. */
  guidancePrice?: DecimalString;
  /** Least quantity of a block trade (大宗协议). */
  blockMinQuantity?: DecimalString;
  /** Least registration (公示/报名) and bidding windows of a new listing, in Chinese working days. */
  listingMinimums?: { registrationWorkingDays: number; biddingWorkingDays: number };
  /** Prices a block trade may be agreed at today (reference price ± the block band, on the tick). */
  blockBandLow?: DecimalString;
  blockBandHigh?: DecimalString;
}

export interface BookLevel {
  price: DecimalString;
  quantity: DecimalString;
  orders: number;
}

export interface Book {
  symbol: string;
  sequence: number;
  bids: BookLevel[];
  asks: BookLevel[];
}

export interface PublicTrade {
  id: number | string;
  price: DecimalString;
  quantity: DecimalString;
  aggressorSide: Side;
  executedAt: string;
  /** Where it was made: the order book, or off it (block trade 大宗协议, listing award 挂牌竞价). */
  venue?: 'book' | 'block' | 'listing';
}

/** One OHLCV bar; the server's field names are normalised by the candles fetcher. */
export interface Candle {
  time: number; // seconds since epoch (UTC)
  open: DecimalString;
  high: DecimalString;
  low: DecimalString;
  close: DecimalString;
  volume: DecimalString;
}





export interface Holding {
  indicatorType: IndicatorType;
  symbol: string;
  available: DecimalString;
  locked: DecimalString;
  unit: string;
}

export interface Account {
  participant: Participant;
  cash: { currency: 'CNY'; available: DecimalString; locked: DecimalString };
  holdings: Holding[];
}

export interface LedgerPosting {
  id: number | string;
  transferId: number | string;
  kind: string;
  asset: string;
  amount: DecimalString;
  createdAt: string;
  reference: string | null;
}

export interface AccountTrade {
  tradeId: number | string;
  symbol: string;
  side: Side;
  price: DecimalString;
  quantity: DecimalString;
  amount: DecimalString;
  fee: DecimalString;
  executedAt: string;
  settlementStatus: SettlementStatus;
}

export interface Settlement {
  tradeId: number | string;
  status: SettlementStatus;
  settledAt: string | null;
  certificateNo: string | null;
}

export interface IndicatorLot {
  id: number | string;
  participantId?: number | string;
  symbol: string;
  indicatorType: IndicatorType;
  quantity: DecimalString;
  region: string;
  sourceProject: string;
  verificationRef: string;
  vintage: string | number | null;
  attributes: Record<string, unknown> | null;
  createdAt: string;
}
