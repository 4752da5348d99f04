import { Type, type Static } from 'typebox';
import { Nullable, StringEnum } from './common.ts';

// Market surveillance: alerts regulators acknowledge, related-participant pairs the operator
// keeps, and the trading history regulators read (GET /api/regulator/history).

const ID = '^[1-9][0-9]{0,15}$';
const DAY = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

export const ALERT_RULES = ['wash_trading', 'spoofing', 'abnormal_price', 'concentration', 'marking_the_close', 'volatility_halt', 'lot_frozen', 'lot_unfrozen', 'lot_revoked'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
const RuleName = StringEnum(ALERT_RULES);
export const AlertStatus = Type.Union([Type.Literal('open'), Type.Literal('acknowledged')]);

export const Alert = Type.Object({
  id: Type.String(),
  rule: RuleName,
  severity: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]),
  symbol: Type.String(),
  participantIds: Type.Array(Type.String()),
  participants: Type.Array(Type.Object({ id: Type.String(), name: Nullable(Type.String()) }), { description: 'the participants of participantIds, with their names' }),
  message: Type.String({ description: 'English, for API users; the screens compose the alert in the reader’s language from rule and details' }),
  details: Type.Unknown({ description: 'rule-specific figures; decimals as strings' }),
  createdAt: Type.String(),
  status: AlertStatus,
  acknowledgedAt: Nullable(Type.String()),
  acknowledgedBy: Type.Union([Type.String(), Type.Null()], { description: 'username of the regulator' }),
  acknowledgementNote: Nullable(Type.String()),
});
export type Alert = Static<typeof Alert>;

export const AlertsQuery = Type.Object(
  {
    status: Type.Optional(AlertStatus),
    rule: Type.Optional(RuleName),
    symbol: Type.Optional(Type.String({ pattern: '^[A-Z0-9_-]{1,40}$' })),
    participantId: Type.Optional(Type.String({ pattern: ID })),
    before: Type.Optional(Type.String({ pattern: ID, description: 'only alerts with a smaller id (next page)' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);
export type AlertsQuery = Static<typeof AlertsQuery>;

export const AcknowledgeBody = Type.Object({ note: Type.String({ minLength: 2, maxLength: 2000 }) }, { additionalProperties: false });
export type AcknowledgeBody = Static<typeof AcknowledgeBody>;

export const RelatedBody = Type.Object(
  {
    participantA: Type.String({ pattern: ID }),
    participantB: Type.String({ pattern: ID }),
    reason: Type.String({ minLength: 2, maxLength: 500, description: 'e.g. common parent company, shared beneficial owner' }),
  },
  { additionalProperties: false },
);
export type RelatedBody = Static<typeof RelatedBody>;

export const RelatedParams = Type.Object({ participantA: Type.String({ pattern: ID }), participantB: Type.String({ pattern: ID }) }, { additionalProperties: false });
export const RelatedPair = Type.Object({
  participantA: Type.String(),
  participantB: Type.String(),
  nameA: Type.String(),
  nameB: Type.String(),
  reason: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
});
export type RelatedPair = Static<typeof RelatedPair>;

export const HistoryQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ pattern: DAY, format: 'date', description: 'first Beijing day, inclusive; default 29 days before `to`' })),
    to: Type.Optional(Type.String({ pattern: DAY, format: 'date', description: 'last Beijing day, inclusive; default today' })),
    top: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  },
  { additionalProperties: false },
);
export type HistoryQuery = Static<typeof HistoryQuery>;

const Volume = { volume: Type.String(), value: Type.String(), trades: Type.Integer() };
export const TradingHistory = Type.Object({
  from: Type.String(),
  to: Type.String(),
  totals: Type.Object({ trades: Type.Integer(), value: Type.String() }),
  byIndicatorType: Type.Array(Type.Object({ indicatorType: Type.String(), unit: Type.String(), ...Volume })),
  byPrefecture: Type.Array(
    Type.Object({ prefecture: Type.String(), soldValue: Type.String(), boughtValue: Type.String(), tradesAsSeller: Type.Integer(), tradesAsBuyer: Type.Integer() }),
  ),
  byDay: Type.Array(Type.Object({ day: Type.String(), indicatorType: Type.String(), unit: Type.String(), ...Volume })),
  topParticipants: Type.Array(
    Type.Object({
      participantId: Type.String(),
      name: Type.String(),
      kind: Type.String(),
      prefecture: Type.String(),
      value: Type.String(),
      boughtValue: Type.String(),
      soldValue: Type.String(),
      trades: Type.Integer(),
    }),
  ),
});
export type TradingHistory = Static<typeof TradingHistory>;

export const RelatedPairRemoved = Type.Object({ participantA: Type.String(), participantB: Type.String(), removed: Type.Boolean() });
