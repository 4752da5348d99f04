import { Type, type Static } from 'typebox';
import { DecimalString, Nullable, StringEnum } from './common.ts';

// What the operator sets about the platform and its people outside admission: the deposit cap,
// staff accounts (operators and regulators), and a user's access (disable, enable, reset).

const Id = Type.String({ pattern: '^[1-9][0-9]{0,15}$' });

export const DepositCap = Type.Object({ maxAmount: Nullable(Type.String({ description: 'largest single deposit in CNY, e.g. "5000000.00"' })) });
export type DepositCap = Static<typeof DepositCap>;
export const DepositCapBody = Type.Object(
  { maxAmount: Type.Union([DecimalString('largest single deposit in CNY, e.g. "5000000.00"'), Type.Null()], { description: 'null removes the cap' }) },
  { additionalProperties: false },
);
export type DepositCapBody = Static<typeof DepositCapBody>;

export const STAFF_ROLES = ['regulator', 'operator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const NewStaffUser = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    role: StringEnum(STAFF_ROLES),
  },
  { additionalProperties: false },
);
export type NewStaffUser = Static<typeof NewStaffUser>;
export const StaffUser = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: StringEnum(STAFF_ROLES),
  createdAt: Type.String({ format: 'date-time' }),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
});
export type StaffUser = Static<typeof StaffUser>;

export const ParticipantUserParams = Type.Object({ id: Id, userId: Id }, { additionalProperties: false });
export const AccountState = Type.Object({ id: Type.String(), username: Type.String(), disabled: Type.Boolean(), mustChangePassword: Type.Boolean() });
export type AccountState = Static<typeof AccountState>;
export const ResetAnswer = Type.Object({
  ...AccountState.properties,
  temporaryPassword: Type.String({ description: 'shown once: hand it to the user, who must replace it at the next sign-in' }),
});
export type ResetAnswer = Static<typeof ResetAnswer>;

/** A confirmed deposit, as the operator's history lists it. */
export const DepositRecord = Type.Object({
  transferId: Type.String({ description: 'the journal transfer that credited it' }),
  participantId: Type.String(),
  participant: Type.String({ description: 'the participant credited' }),
  amount: Type.String({ description: 'CNY, to the fen' }),
  reference: Type.String({ description: 'the bank reference (银行流水号) the operator entered' }),
  confirmedBy: Nullable(Type.String({ description: 'the operator who confirmed it' })),
  confirmedAt: Type.String({ format: 'date-time' }),
});
export type DepositRecord = Static<typeof DepositRecord>;
export const DepositHistoryQuery = Type.Object(
  { participantId: Type.Optional(Id), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) },
  { additionalProperties: false },
);
export type DepositHistoryQuery = Static<typeof DepositHistoryQuery>;

/** A participant as the operator's register lists it, with its cash now. */
export const AdminParticipant = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: StringEnum(['government', 'enterprise'] as const),
  region: Type.String(),
  prefecture: Type.String(),
  status: StringEnum(['active', 'suspended'] as const),
  cashAvailable: Type.String({ description: 'CNY free to use' }),
  cashLocked: Type.String({ description: 'CNY held by open bids, margins and unsettled trades' }),
});
export type AdminParticipant = Static<typeof AdminParticipant>;
