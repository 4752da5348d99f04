import { Type, type Static } from 'typebox';
import { Nullable, StringEnum } from './common.ts';

// Legal controls on registered lots: freeze (冻结) and unfreeze by an operator or regulator, with a
// typed reason; revocation (撤销) by an operator of a lot whose documents proved false. Operators
// and regulators see every lot with its controls; a holder sees the controls on lots it holds.

export const FREEZE_REASONS = ['dispute', 'court_order', 'pledge'] as const;
export type FreezeReason = (typeof FREEZE_REASONS)[number];

const Note = (description: string) => Type.String({ minLength: 2, maxLength: 1000, description });

export const FreezeBody = Type.Object(
  {
    reason: StringEnum(FREEZE_REASONS, { description: 'dispute 争议 · court_order 司法冻结 · pledge 质押' }),
    note: Note('free text: the case, court order or pledge contract number'),
  },
  { additionalProperties: false },
);
export type FreezeBody = Static<typeof FreezeBody>;

export const UnfreezeBody = Type.Object({ note: Note('why the freeze is lifted') }, { additionalProperties: false });
export type UnfreezeBody = Static<typeof UnfreezeBody>;

export const RevokeBody = Type.Object({ reason: Note('which document proved false, and how it was found') }, { additionalProperties: false });
export type RevokeBody = Static<typeof RevokeBody>;

export const LotPiece = Type.Object({ participantId: Type.String(), participant: Type.String(), quantity: Type.String() });
export type LotPiece = Static<typeof LotPiece>;

export const LotFreeze = Type.Object({
  id: Type.String(),
  reason: StringEnum(FREEZE_REASONS),
  note: Type.String(),
  frozenBy: Type.String(),
  frozenAt: Type.String(),
  /** What the freeze locks, per holder. */
  pieces: Type.Array(LotPiece),
});
export type LotFreeze = Static<typeof LotFreeze>;

export const OnwardHolding = Type.Object({
  participantId: Type.String(),
  participant: Type.String(),
  status: StringEnum(['held', 'used', 'retired'] as const, { description: 'still held by the buyer, or used / retired by it' }),
  quantity: Type.String(),
});
export type OnwardHolding = Static<typeof OnwardHolding>;

export const LotRevocation = Type.Object({
  id: Type.String(),
  reason: Type.String(),
  revokedBy: Type.String(),
  revokedAt: Type.String(),
  /** What was taken back from the registrant to issuance. */
  removedQuantity: Type.String(),
  /** What had been sold onward: not taken back, flagged to regulators. */
  onward: Type.Array(OnwardHolding),
});
export type LotRevocation = Static<typeof LotRevocation>;

export const LotControlStatus = StringEnum(['normal', 'frozen', 'revoked'] as const);

export const ControlledLot = Type.Object({
  id: Type.String(),
  symbol: Type.String(),
  unit: Type.String(),
  quantity: Type.String(),
  registrantId: Type.String(),
  registrant: Type.String(),
  region: Type.String(),
  sourceProject: Type.String(),
  verificationRef: Type.String(),
  status: LotControlStatus,
  freeze: Nullable(LotFreeze),
  revocation: Nullable(LotRevocation),
});
export type ControlledLot = Static<typeof ControlledLot>;

/** A control on a lot the signed-in participant holds (or held, for a revocation), as the holder sees it. */
export const HolderLotControl = Type.Object({
  lotId: Type.String(),
  symbol: Type.String(),
  unit: Type.String(),
  verificationRef: Type.String(),
  status: StringEnum(['frozen', 'revoked'] as const),
  /** Frozen: what of the holder's quantity is locked; revoked: what was removed from the holder. */
  quantity: Type.String(),
  reason: Type.String(),
  note: Nullable(Type.String()),
  at: Type.String(),
});
export type HolderLotControl = Static<typeof HolderLotControl>;
