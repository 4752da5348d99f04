import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

// Trading sessions (SESSIONS=on): each instrument's phase now, its closing prices, and the
// operator's calendars and holidays.

const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
const SessionTimes = Type.Object({ start: HHMM, end: HHMM }, { additionalProperties: false });

export const SessionStatus = Type.Object({
  symbol: Type.String(),
  enabled: Type.Boolean({ description: 'false when SESSIONS=off: the instrument trades at any hour' }),
  phase: Type.Union([Type.Literal('opening_auction'), Type.Literal('open'), Type.Literal('break'), Type.Literal('closed')]),
  tradingDay: Nullable(Type.String()),
  nextChangeAt: Nullable(Type.String()),
  sessions: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
  weekdays: Type.Array(Type.Integer()),
  utcOffsetMinutes: Type.Integer(),
  openingAuctionMinutes: Type.Integer(),
  closingVwapMinutes: Type.Integer(),
  referencePrice: Type.String(),
});
export type SessionStatus = Static<typeof SessionStatus>;

export const DailyPrice = Type.Object({
  symbol: Type.String(),
  tradingDay: Type.String(),
  closePrice: Type.String(),
  method: Type.Union([Type.Literal('vwap'), Type.Literal('last'), Type.Literal('previous')]),
  volume: Type.String(),
  value: Type.String(),
  trades: Type.Integer(),
  previousReference: Type.String(),
  closedAt: Type.String(),
});
export type DailyPrice = Static<typeof DailyPrice>;

export const Holiday = Type.Object({ day: Type.String({ format: 'date' }), symbol: Nullable(Type.String()), name: Type.String() });
export type Holiday = Static<typeof Holiday>;

export const CalendarBody = Type.Object(
  {
    sessions: Type.Array(SessionTimes, { minItems: 1, maxItems: 6 }),
    weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, uniqueItems: true }),
    openingAuctionMinutes: Type.Integer({ minimum: 0, maximum: 120 }),
    closingVwapMinutes: Type.Integer({ minimum: 1, maximum: 240 }),
  },
  { additionalProperties: false },
);
export type CalendarBody = Static<typeof CalendarBody>;

export const HolidayBody = Type.Object(
  {
    day: Type.String({ format: 'date', description: 'local day, e.g. 2026-10-01' }),
    symbol: Type.Optional(Type.String({ pattern: '^[A-Z0-9_-]{1,40}$', description: 'omit for a market-wide holiday' })),
    name: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. 国庆节' }),
  },
  { additionalProperties: false },
);
export type HolidayBody = Static<typeof HolidayBody>;

export const PricesQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 30 }) }, { additionalProperties: false });
