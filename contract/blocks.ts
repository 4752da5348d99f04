import { Type, type Static } from 'typebox';
import { DecimalString, Nullable } from './common.ts';

// Block trades (大宗协议): one participant proposes agreed terms to another, who confirms or
// declines; regulators and the operator see them all. Also pushed live as `blockTrade`.

export const BLOCK_STATUSES = ['proposed', 'confirmed', 'rejected', 'cancelled', 'expired'] as const;
export type BlockStatus = (typeof BLOCK_STATUSES)[number];

export const ProposeBlockBody = Type.Object(
  {
    symbol: Type.String({ minLength: 1, maxLength: 40 }),
    side: Type.Union([Type.Literal('buy'), Type.Literal('sell')], { description: 'your side of the trade' }),
    counterpartyId: Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'the participant who must confirm (see GET /api/blocks/counterparties)' }),
    price: DecimalString('agreed price per unit; within ±30% of the reference price'),
    quantity: DecimalString('agreed quantity; at least the instrument’s block minimum'),
    confirmWithinMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, description: 'how long the counterparty has to confirm (default from configuration)' })),
    note: Type.Optional(Type.String({ maxLength: 500, description: 'e.g. the agreement’s reference' })),
  },
  { additionalProperties: false },
);
export type ProposeBlockBody = Static<typeof ProposeBlockBody>;

export const BlockReasonBody = Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, { additionalProperties: false });
export const BlockListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('proposed'), Type.Literal('confirmed'), Type.Literal('rejected'), Type.Literal('cancelled'), Type.Literal('expired')])),
    symbol: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);
export const BlockMinimumBody = Type.Object({ quantity: DecimalString('least quantity of a block trade, in the instrument unit') }, { additionalProperties: false });
export const Counterparty = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), region: Type.String() });
export type Counterparty = Static<typeof Counterparty>;

export const BlockMinimum = Type.Object({ symbol: Type.String(), blockMinQuantity: Type.String() });

export const BlockParty = Type.Object({ id: Type.String(), name: Type.String() });
export type BlockParty = Static<typeof BlockParty>;

export const Block = Type.Object({
  id: Type.String(),
  symbol: Type.String(),
  instrumentName: Type.String(),
  unit: Type.String(),
  initiatorSide: Type.Union([Type.Literal('buy'), Type.Literal('sell')]),
  initiator: BlockParty,
  counterparty: BlockParty,
  buyer: BlockParty,
  seller: BlockParty,
  price: Type.String(),
  quantity: Type.String(),
  amount: Type.String(),
  buyerFee: Type.String(),
  sellerFee: Type.String(),
  referencePrice: Type.String({ description: 'reference price the ±band was checked against at the proposal' }),
  note: Nullable(Type.String()),
  status: Type.Union([Type.Literal('proposed'), Type.Literal('confirmed'), Type.Literal('rejected'), Type.Literal('cancelled'), Type.Literal('expired')]),
  expiresAt: Type.String({ description: 'the counterparty must confirm before this' }),
  createdAt: Type.String(),
  decidedAt: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  tradeId: Nullable(Type.String()),
  /** The caller's part in it; null for the regulator and the operator. */
  myRole: Type.Union([Type.Literal('initiator'), Type.Literal('counterparty'), Type.Null()]),
});
export type Block = Static<typeof Block>;
