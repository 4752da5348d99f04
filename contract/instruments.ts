import { Type, type Static } from 'typebox';
import { INDICATOR_TYPES, Nullable, SIDES, StringEnum } from './common.ts';

// Instruments and their market data anyone may read: GET /api/instruments, …/:symbol/book,
// …/:symbol/trades and …/:symbol/candles.

export const INSTRUMENT_STATUSES = ['trading', 'auction', 'halted'] as const;
export type InstrumentStatus = (typeof INSTRUMENT_STATUSES)[number];
export const TRADE_VENUES = ['book', 'block', 'listing'] as const;
export type TradeVenue = (typeof TRADE_VENUES)[number];

export const Instrument = Type.Object({
  symbol: Type.String(),
  indicatorType: StringEnum(INDICATOR_TYPES),
  subType: Nullable(Type.String()),
  nameZh: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  tickSize: Type.String(),
  lotSize: Type.String(),
  minQuantity: Type.String(),
  priceBandPct: Type.String(),
  referencePrice: Type.String(),
  bandLow: Type.String({ description: 'lowest accepted limit price: the band on the tick grid' }),
  bandHigh: Type.String({ description: 'highest accepted limit price' }),
  status: StringEnum(INSTRUMENT_STATUSES),
  haltReason: Nullable(Type.String()),
  sellerKinds: StringEnum(['government', 'any'] as const, { description: 'who may sell: government bodies only (政府主导) or anyone' }),
  buyerFeeBps: Type.Integer(),
  sellerFeeBps: Type.Integer(),
  vintage: Nullable(Type.Integer()),
  lastPrice: Nullable(Type.String()),
  changePct: Nullable(Type.String()),
  dayVolume: Type.String(),
  dayValue: Type.String(),
  dayTrades: Type.Integer(),
  guidancePrice: Type.String({ description: '指导价: no listing auction may start below it' }),
  blockMinQuantity: Type.String({ description: 'least quantity of a block trade (大宗协议)' }),
  blockBandLow: Type.String({ description: 'lowest price a block trade may be agreed at today (reference price − the block band, on the tick)' }),
  blockBandHigh: Type.String({ description: 'highest price a block trade may be agreed at today' }),
  listingMinimums: Type.Object(
    { registrationWorkingDays: Type.Integer(), biddingWorkingDays: Type.Integer() },
    { description: 'least registration (公示/报名) and bidding windows of a new listing, in Chinese working days' },
  ),
});
export type Instrument = Static<typeof Instrument>;

export const BookLevel = Type.Object({ price: Type.String(), quantity: Type.String(), orders: Type.Integer() });
export type BookLevel = Static<typeof BookLevel>;

export const Book = Type.Object({ symbol: Type.String(), sequence: Type.Integer(), bids: Type.Array(BookLevel), asks: Type.Array(BookLevel) });
export type Book = Static<typeof Book>;

export const PublicTrade = Type.Object({
  id: Type.String(),
  price: Type.String(),
  quantity: Type.String(),
  aggressorSide: StringEnum(SIDES),
  executedAt: Type.String(),
  venue: Type.Union([Type.Literal('book'), Type.Literal('block'), Type.Literal('listing')], { description: 'book, or off the book: a block trade (大宗协议) or a listing award (挂牌)' }),
});
export type PublicTrade = Static<typeof PublicTrade>;

export const CandleBar = Type.Object({
  time: Type.String({ description: 'start of the interval' }),
  open: Type.String(),
  high: Type.String(),
  low: Type.String(),
  close: Type.String(),
  volume: Type.String(),
  value: Type.String(),
});
export type CandleBar = Static<typeof CandleBar>;

export const BookQuery = Type.Object({ depth: Type.Integer({ minimum: 1, maximum: 50, default: 20 }) }, { additionalProperties: false });
export const TradesQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }, { additionalProperties: false });
export const CANDLE_INTERVALS = ['1m', '1h', '1d'] as const;
export type CandleInterval = (typeof CANDLE_INTERVALS)[number];
export const CandleQuery = Type.Object(
  {
    interval: Type.Union([Type.Literal('1m'), Type.Literal('1h'), Type.Literal('1d')], { default: '1h' }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 300 }),
  },
  { additionalProperties: false },
);
