import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

// Settlement: a trade's settlement status and certificate (成交确认书), and the dead letters the
// operator may replay.

export const TradeIdParam = Type.Object({ tradeId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) }, { additionalProperties: false });

export const Settlement = Type.Object({
  tradeId: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('settled'), Type.Literal('failed')]),
  settledAt: Nullable(Type.String()),
  certificateNo: Nullable(Type.String()),
});
export type Settlement = Static<typeof Settlement>;

const CertificateParty = Type.Object({ id: Type.String(), name: Type.String(), region: Type.String() });
/** The transaction certificate (成交确认书) of a settled trade. */
export const TradeCertificate = Type.Object({
  certificateNo: Type.String(),
  tradeId: Type.String(),
  symbol: Type.String(),
  instrumentNameZh: Type.String(),
  instrumentName: Type.String(),
  unit: Type.String(),
  buyer: CertificateParty,
  seller: CertificateParty,
  quantity: Type.String(),
  price: Type.String(),
  amount: Type.String(),
  buyerFee: Type.String(),
  sellerFee: Type.String(),
  lotsDelivered: Type.Array(
    Type.Object({ lotId: Type.String(), verificationRef: Type.String(), sourceProject: Type.String(), region: Type.String(), vintage: Type.Integer(), quantity: Type.String() }),
  ),
  executedAt: Type.String(),
  settledAt: Type.String(),
});
export type TradeCertificate = Static<typeof TradeCertificate>;

/** A trade whose settlement failed for good. */
export const DeadLetter = Type.Object({
  tradeId: Type.String(),
  symbol: Type.String(),
  amount: Type.String(),
  buyer: Type.String(),
  seller: Type.String(),
  executedAt: Type.String(),
  failedAt: Nullable(Type.String()),
  reason: Nullable(Type.String()),
});
export type DeadLetter = Static<typeof DeadLetter>;

export const DeadLetterReplay = Type.Object({ tradeId: Type.String(), status: Type.Literal('pending') });
export type DeadLetterReplay = Static<typeof DeadLetterReplay>;
