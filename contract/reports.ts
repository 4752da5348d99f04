import { Type, type Static } from 'typebox';

// The regulator's market report for a Beijing-day range: what the province files upward. Every
// figure comes from committed trades (failed settlements excluded), listings, registry actions and
// alerts; money is CNY with two decimals, quantities in each instrument's own unit, so totals
// across indicator types count trades and money only, never mixed units.

const Money = (description: string) => Type.String({ description: `${description}, CNY with two decimals` });
const Quantity = (description: string) => Type.String({ description: `${description}, in the instrument's unit` });
const Count = (description: string) => Type.Integer({ minimum: 0, description });

export const ReportPeriodKind = Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month'), Type.Literal('year'), Type.Literal('range')]);
export type ReportPeriodKind = Static<typeof ReportPeriodKind>;

export const ReportQuery = Type.Object(
  {
    period: ReportPeriodKind,
    date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'any Beijing day inside the day, week (Monday–Sunday), month or year; today when absent' })),
    from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'first day of a range report' })),
    to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'last day of a range report, inclusive' })),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;

export const ReportFileQuery = Type.Object(
  { ...ReportQuery.properties, lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { description: 'language of headings and labels; Chinese when absent' })) },
  { additionalProperties: false },
);
export type ReportFileQuery = Static<typeof ReportFileQuery>;

export const ReportPeriod = Type.Object({
  kind: ReportPeriodKind,
  from: Type.String({ description: 'first Beijing day covered, YYYY-MM-DD' }),
  to: Type.String({ description: 'last Beijing day covered, inclusive' }),
});
export type ReportPeriod = Static<typeof ReportPeriod>;

const TradeFigures = {
  trades: Count('trades'),
  turnover: Money('value traded'),
};

export const ReportTotals = Type.Object({ ...TradeFigures, fees: Money('fees charged to both sides') });

export const IndicatorTypeRow = Type.Object({ indicatorType: Type.String(), unit: Type.String(), ...TradeFigures, quantity: Quantity('quantity traded') });
export type IndicatorTypeRow = Static<typeof IndicatorTypeRow>;

export const InstrumentRow = Type.Object({
  symbol: Type.String(),
  nameZh: Type.String(),
  name: Type.String(),
  indicatorType: Type.String(),
  unit: Type.String(),
  ...TradeFigures,
  quantity: Quantity('quantity traded'),
  vwap: Type.Union([Money('volume-weighted continuous-market price'), Type.Null()]),
  high: Type.Union([Money('highest continuous-market price'), Type.Null()]),
  low: Type.Union([Money('lowest continuous-market price'), Type.Null()]),
  close: Type.Union([Money('last reference (closing) price the session set inside the period'), Type.Null()]),
});
export type InstrumentRow = Static<typeof InstrumentRow>;

export const RegionRow = Type.Object({
  prefecture: Type.String({ description: "the seller's prefecture (设区市)" }),
  region: Type.String({ description: "the seller's county (县/区)" }),
  indicatorType: Type.String(),
  unit: Type.String(),
  ...TradeFigures,
  quantity: Quantity('quantity sold'),
});
export type RegionRow = Static<typeof RegionRow>;

export const ParticipantKindRow = Type.Object({
  side: Type.Union([Type.Literal('buy'), Type.Literal('sell')]),
  kind: Type.String({ description: 'government or enterprise' }),
  ...TradeFigures,
});
export type ParticipantKindRow = Static<typeof ParticipantKindRow>;

export const VenueRow = Type.Object({
  venue: Type.Union([Type.Literal('book'), Type.Literal('block'), Type.Literal('listing')], { description: 'continuous market, block trade (大宗协议) or listing auction (挂牌)' }),
  ...TradeFigures,
});
export type VenueRow = Static<typeof VenueRow>;

export const ListingFigures = Type.Object({
  opened: Count('listings created in the period'),
  awarded: Count('listings that closed with an award in the period'),
  failed: Count('listings that closed without a valid bid (流拍) in the period'),
  cancelled: Count('listings withdrawn in the period'),
});
export type ListingFigures = Static<typeof ListingFigures>;

export const RegistryRow = Type.Object({
  kind: Type.Union([Type.Literal('use'), Type.Literal('retire')], { description: 'use against an approval (核销) or retirement (注销)' }),
  indicatorType: Type.String(),
  unit: Type.String(),
  actions: Count('registry actions'),
  quantity: Quantity('quantity used or retired'),
});
export type RegistryRow = Static<typeof RegistryRow>;

export const AlertRow = Type.Object({
  rule: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('acknowledged')]),
  alerts: Count('alerts raised in the period'),
});
export type AlertRow = Static<typeof AlertRow>;

export const TopParticipantRow = Type.Object({
  participantId: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  ...TradeFigures,
  bought: Money('value bought'),
  sold: Money('value sold'),
});
export type TopParticipantRow = Static<typeof TopParticipantRow>;

export const PricePoint = Type.Object({
  day: Type.String(),
  vwap: Type.Union([Money('volume-weighted continuous-market price of the day'), Type.Null()]),
  high: Type.Union([Money('highest continuous-market price of the day'), Type.Null()]),
  low: Type.Union([Money('lowest continuous-market price of the day'), Type.Null()]),
  reference: Type.Union([Money('reference (closing) price the session set for the day'), Type.Null()]),
});
export type PricePoint = Static<typeof PricePoint>;

export const PriceSeries = Type.Object({ symbol: Type.String(), nameZh: Type.String(), name: Type.String(), points: Type.Array(PricePoint) });
export type PriceSeries = Static<typeof PriceSeries>;

export const MarketReport = Type.Object({
  period: ReportPeriod,
  generatedAt: Type.String({ format: 'date-time' }),
  totals: ReportTotals,
  byIndicatorType: Type.Array(IndicatorTypeRow),
  byInstrument: Type.Array(InstrumentRow),
  byRegion: Type.Array(RegionRow),
  byParticipantKind: Type.Array(ParticipantKindRow),
  byVenue: Type.Array(VenueRow),
  listings: ListingFigures,
  registry: Type.Array(RegistryRow),
  alerts: Type.Array(AlertRow),
  topParticipants: Type.Array(TopParticipantRow, { description: 'the ten participants with the largest turnover, either side' }),
  prices: Type.Array(PriceSeries, { description: 'per instrument with continuous-market trades or a reference price in the period' }),
});
export type MarketReport = Static<typeof MarketReport>;
