import { Type, type Static } from 'typebox';
import { DecimalString, Nullable, StringEnum } from './common.ts';

// The registry: use (核销, a land or wetland indicator consumed against an approved construction
// project) and retirement (注销, carbon credits retired for a beneficiary), and a lot's chain of
// holders and movements (GET /api/lots/:id).

const RequestId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$', description: 'client-chosen id; repeating it with the same terms returns the first result, with other terms answers 409 IDEMPOTENCY_MISMATCH' });
export const UseBody = Type.Object(
  {
    symbol: Type.String({ minLength: 1, maxLength: 40 }),
    quantity: DecimalString('quantity to use'),
    projectName: Type.String({ minLength: 2, maxLength: 200, description: 'construction project the indicator is consumed against' }),
    approvalRef: Type.String({ minLength: 2, maxLength: 100, description: 'approval number of the project (批准文号)' }),
    requestId: RequestId,
  },
  { additionalProperties: false },
);
export type UseBody = Static<typeof UseBody>;

export const RetireBody = Type.Object(
  {
    symbol: Type.String({ minLength: 1, maxLength: 40 }),
    quantity: DecimalString('tCO2e to retire'),
    beneficiary: Type.String({ minLength: 2, maxLength: 200, description: 'on whose behalf the credits are retired' }),
    reason: Type.String({ minLength: 2, maxLength: 500 }),
    requestId: RequestId,
  },
  { additionalProperties: false },
);
export type RetireBody = Static<typeof RetireBody>;

export const RegistryAction = Type.Object({
  id: Type.String(),
  kind: StringEnum(['use', 'retire'] as const),
  symbol: Type.String(),
  quantity: Type.String(),
  requestId: Type.String(),
  projectName: Nullable(Type.String()),
  approvalRef: Nullable(Type.String()),
  beneficiary: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  certificateNo: Type.String(),
  createdAt: Type.String(),
});
export type RegistryAction = Static<typeof RegistryAction>;

export const LotMovement = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  quantity: Type.String(),
  tradeId: Nullable(Type.String()),
  registryActionId: Nullable(Type.String()),
  at: Type.String(),
});
export type LotMovement = Static<typeof LotMovement>;

export const LotDetail = Type.Object({
  id: Type.String(),
  symbol: Type.String(),
  quantity: Type.String(),
  unit: Type.String(),
  holder: Type.String(),
  region: Type.String(),
  sourceProject: Type.String(),
  verificationRef: Type.String(),
  vintage: Type.Integer(),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
  holdings: Type.Array(Type.Object({ participant: Type.String(), quantity: Type.String() })),
  movements: Type.Array(LotMovement),
});
export type LotDetail = Static<typeof LotDetail>;
