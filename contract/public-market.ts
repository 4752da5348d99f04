import { Type, type Static } from 'typebox';

// What anyone may read without signing in: GET /api/public/market and an instrument's daily
// history (JSON and CSV). Prices are those of the continuous market; off-book prints — block
// trades (大宗协议) and listing awards (挂牌) — count in volume and turnover only, as exchanges
// report 大宗 apart, so one negotiated deal cannot move the published price.

const Money = (description: string) => Type.String({ description });
const OrNull = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const PublicInstrumentToday = Type.Object({
  symbol: Type.String(),
  nameZh: Type.String(),
  name: Type.String(),
  indicatorType: Type.String({ description: 'farmland, land_linkage, wetland or carbon_sink' }),
  unit: Type.String(),
  last: OrNull(Money('last continuous-market price, CNY per unit; null before the first trade')),
  previousClose: OrNull(Money('last continuous-market price before today (Beijing time)')),
  change: OrNull(Money('last − previousClose')),
  changePct: OrNull(Type.String({ description: 'change as a percentage of previousClose, 2 decimals' })),
  volume: Type.String({ description: "today's quantity traded, every venue" }),
  turnover: Money("today's value traded in CNY, every venue"),
  trades: Type.Integer(),
  offBookVolume: Type.String({ description: 'of volume, what traded off the book (blocks, listing awards)' }),
});
export type PublicInstrumentToday = Static<typeof PublicInstrumentToday>;

export const PublicMarket = Type.Object({
  tradingDay: Type.String({ description: 'the Beijing trading day the figures are for, YYYY-MM-DD' }),
  instruments: Type.Array(PublicInstrumentToday),
});
export type PublicMarket = Static<typeof PublicMarket>;

export const DailyBar = Type.Object({
  day: Type.String({ description: 'Beijing trading day, YYYY-MM-DD' }),
  open: OrNull(Money('first continuous-market price of the day')),
  high: OrNull(Money('highest')),
  low: OrNull(Money('lowest')),
  close: OrNull(Money('last')),
  vwap: OrNull(Money('volume-weighted average continuous-market price, to the fen')),
  volume: Type.String({ description: 'quantity traded, every venue' }),
  turnover: Money('value traded in CNY, every venue'),
  trades: Type.Integer(),
  offBookVolume: Type.String(),
  offBookTurnover: Money('value of the off-book prints'),
});
export type DailyBar = Static<typeof DailyBar>;

export const DailyHistory = Type.Object({
  symbol: Type.String(),
  unit: Type.String(),
  days: Type.Array(DailyBar),
});
export type DailyHistory = Static<typeof DailyHistory>;

const IsoDay = (description: string) => Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', description });

export const DailyHistoryQuery = Type.Object(
  {
    from: Type.Optional(IsoDay('first day, YYYY-MM-DD (default: a year before `to`)')),
    to: Type.Optional(IsoDay('last day, YYYY-MM-DD (default: today, Beijing time)')),
  },
  { additionalProperties: false },
);
export type DailyHistoryQuery = Static<typeof DailyHistoryQuery>;
