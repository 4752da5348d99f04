import { Type, type Static } from 'typebox';
import { Nullable, SIDES, StringEnum } from './common.ts';
import { INSTRUMENT_STATUSES } from './instruments.ts';

// What regulators read and do: halt and resume, the hash-chained audit log and its check, the
// ledger reconciliation, the latest trades and orders of everyone, and today's figures.

export const RegulatorReasonBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });
export const RecentQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }, { additionalProperties: false });
export const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ maxLength: 60 })),
    actor: Type.Optional(Type.String({ maxLength: 64 })),
    subject: Type.Optional(Type.String({ maxLength: 100 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Integer({ minimum: 1, maximum: 5000, default: 200 }),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Type.Object({
  seq: Type.String(),
  at: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  subject: Type.String(),
  payload: Type.Unknown(),
  hash: Type.String(),
  prevHash: Type.String(),
});
export type AuditEntry = Static<typeof AuditEntry>;

/** An instrument's trading status after a halt or resume. */
export const InstrumentStatusChange = Type.Object({ symbol: Type.String(), status: StringEnum(INSTRUMENT_STATUSES), haltReason: Nullable(Type.String()) });
export type InstrumentStatusChange = Static<typeof InstrumentStatusChange>;

export const AuditVerification = Type.Object({ ok: Type.Boolean(), rowsChecked: Type.Integer(), firstBrokenSeq: Nullable(Type.String()), reason: Nullable(Type.String()) });
export type AuditVerification = Static<typeof AuditVerification>;

export const RECONCILIATION_CHECKS = ['postings_balance', 'account_balances', 'bank_references', 'locks_explained', 'settled_once', 'lot_holdings'] as const;
export type ReconciliationCheckId = (typeof RECONCILIATION_CHECKS)[number];
export const Reconciliation = Type.Object({
  ok: Type.Boolean(),
  checkedAt: Type.String(),
  checks: Type.Array(
    Type.Object({
      id: StringEnum(RECONCILIATION_CHECKS, { description: 'stable name of the check' }),
      name: Type.String({ description: 'what the check proves, in English' }),
      ok: Type.Boolean(),
      details: Type.Record(Type.String(), Type.Unknown(), { description: 'figures checked and the first mismatches found' }),
    }),
  ),
});
export type Reconciliation = Static<typeof Reconciliation>;

export const RegulatorTrade = Type.Object({
  id: Type.String(),
  symbol: Type.String(),
  price: Type.String(),
  quantity: Type.String(),
  amount: Type.String(),
  buyer: Type.String(),
  seller: Type.String(),
  aggressorSide: StringEnum(SIDES),
  status: Type.String(),
  executedAt: Type.String(),
});
export type RegulatorTrade = Static<typeof RegulatorTrade>;

export const RegulatorOrder = Type.Object({
  id: Type.String(),
  participant: Type.String(),
  symbol: Type.String(),
  side: StringEnum(SIDES),
  type: Type.String(),
  price: Nullable(Type.String()),
  quantity: Type.String(),
  filledQuantity: Type.String(),
  status: Type.String(),
  updatedAt: Type.String(),
});
export type RegulatorOrder = Static<typeof RegulatorOrder>;

export const RegulatorStats = Type.Object({
  today: Type.Object({
    trades: Type.Integer(),
    value: Type.String(),
    activeParticipants: Type.Integer(),
    volumeByType: Type.Record(Type.String(), Type.String()),
    valueByType: Type.Record(Type.String(), Type.String()),
  }),
  byPrefecture: Type.Array(Type.Object({ prefecture: Type.String(), value: Type.String(), trades: Type.Integer() })),
});
export type RegulatorStats = Static<typeof RegulatorStats>;
