import { Type, type Static } from 'typebox';
import { INDICATOR_TYPES, Nullable, PARTICIPANT_KINDS, SETTLEMENT_STATUSES, SIDES, StringEnum } from './common.ts';

// A participant's own account: GET /api/account (also pushed live on /account), its trades,
// journal postings and lots. Verified lots (IndicatorLot) are the same shape wherever they are listed.

export const AccountParticipant = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: StringEnum(PARTICIPANT_KINDS),
  region: Type.String(),
  prefecture: Type.String(),
});
export type AccountParticipant = Static<typeof AccountParticipant>;

export const Holding = Type.Object({
  indicatorType: StringEnum(INDICATOR_TYPES),
  symbol: Type.String(),
  nameZh: Type.String(),
  available: Type.String(),
  locked: Type.String(),
  /** Present when lots the holder has pieces of are frozen (冻结): the part of `locked` they hold. */
  frozen: Type.Optional(Type.String({ description: 'part of locked held by frozen lots; absent when none' })),
  unit: Type.String(),
});
export type Holding = Static<typeof Holding>;

export const Account = Type.Object({
  participant: AccountParticipant,
  cash: Type.Object({ currency: Type.Literal('CNY'), available: Type.String(), locked: Type.String() }),
  holdings: Type.Array(Holding),
});
export type Account = Static<typeof Account>;

export const AccountLimitQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }) }, { additionalProperties: false });

export const AccountTrade = Type.Object({
  tradeId: Type.String(),
  orderId: Type.String(),
  symbol: Type.String(),
  side: StringEnum(SIDES),
  price: Type.String(),
  quantity: Type.String(),
  amount: Type.String(),
  fee: Type.String(),
  executedAt: Type.String(),
  settlementStatus: StringEnum(SETTLEMENT_STATUSES),
  certificateNo: Nullable(Type.String()),
});
export type AccountTrade = Static<typeof AccountTrade>;

export const LedgerPosting = Type.Object({
  id: Type.String(),
  transferId: Type.String(),
  kind: Type.String(),
  reference: Type.String(),
  asset: Type.String(),
  amount: Type.String(),
  createdAt: Type.String(),
});
export type LedgerPosting = Static<typeof LedgerPosting>;

/** A verified lot as registered (POST /api/admin/lots) and listed. */
export const IndicatorLot = Type.Object({
  id: Type.String(),
  participantId: Type.String(),
  symbol: Type.String(),
  indicatorType: StringEnum(INDICATOR_TYPES),
  quantity: Type.String(),
  unit: Type.String(),
  region: Type.String(),
  sourceProject: Type.String(),
  verificationRef: Type.String(),
  vintage: Type.Integer(),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
});
export type IndicatorLot = Static<typeof IndicatorLot>;

/** A piece of a lot the participant holds now (quantity = held; originalQuantity = the lot's). */
export const OwnLot = Type.Object({ ...IndicatorLot.properties, originalQuantity: Type.String(), acquiredAt: Type.String() });
export type OwnLot = Static<typeof OwnLot>;

export const LOCK_SOURCES = ['order_buy', 'order_sell', 'reservation', 'unsettled_trade'] as const;
export type LockSource = (typeof LOCK_SOURCES)[number];

/** Why part of a balance is locked: one line per asset, kind of holder and purpose. */
export const LockLine = Type.Object({
  asset: Type.String({ description: 'CNY or an instrument symbol' }),
  source: StringEnum(LOCK_SOURCES, { description: 'open buy orders, open sell orders, a reservation (margin, listing, block, frozen lot…) or trades not yet settled' }),
  purpose: Nullable(Type.String({ description: "a reservation's purpose, e.g. listing_margin" })),
  count: Type.Integer({ description: 'how many orders, reservations or trades' }),
  amount: Type.String({ description: 'CNY to the fen, or quantity to the instrument’s places' }),
});
export type LockLine = Static<typeof LockLine>;
