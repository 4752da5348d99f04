import { Type, type Static } from 'typebox';
import { PARTICIPANT_KINDS, StringEnum } from './common.ts';

// Admission of participants (入场): an application with the first user, the operator's decision,
// and what a participant's admin does with its own users afterwards.

export const Id = Type.String({ pattern: '^[1-9][0-9]{0,15}$' });
export const RoleInside = Type.Union([Type.Literal('admin'), Type.Literal('trader'), Type.Literal('viewer')], {
  description: 'admin: manages the participant’s users and trades; trader: trades; viewer: reads only',
});
export const Username = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' });
export const Password = Type.String({ minLength: 1, maxLength: 200, description: 'at least 12 characters, not common, not containing the username' });

export const ApplicationBody = Type.Object(
  {
    legalName: Type.String({ minLength: 2, maxLength: 100, description: 'registered legal name, e.g. 江西省赣江碳汇科技有限公司' }),
    creditCode: Type.String({ minLength: 1, maxLength: 40, description: '统一社会信用代码: 18 characters, check character validated (GB 32100-2015)' }),
    kind: StringEnum(PARTICIPANT_KINDS),
    region: Type.String({ minLength: 2, maxLength: 60, description: 'county or city, e.g. 上饶市婺源县' }),
    prefecture: Type.Optional(Type.String({ minLength: 2, maxLength: 30, description: '设区市; derived from region when omitted' })),
    contact: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 60 }),
        phone: Type.String({ minLength: 5, maxLength: 30, pattern: '^[0-9+() -]+$' }),
        email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
    username: { ...Username, description: 'the first user, participant admin once approved' },
    password: Password,
  },
  { additionalProperties: false },
);
export const ApplicationView = Type.Object({
  id: Type.String(),
  legalName: Type.String(),
  creditCode: Type.String(),
  kind: StringEnum(PARTICIPANT_KINDS),
  region: Type.String(),
  prefecture: Type.String(),
  contact: Type.Object({ name: Type.String(), phone: Type.String(), email: Type.Union([Type.String(), Type.Null()]) }),
  username: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  decisionReason: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  participantId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export const ParticipantDetail = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: StringEnum(PARTICIPANT_KINDS),
  region: Type.String(),
  prefecture: Type.String(),
  creditCode: Type.Union([Type.String(), Type.Null()]),
  contact: Type.Object({ name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) }),
  status: Type.Union([Type.Literal('active'), Type.Literal('suspended')]),
  statusReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export const UserView = Type.Object({ id: Type.String(), username: Type.String(), role: RoleInside, createdAt: Type.String() });
export const ListedUserView = Type.Object({ ...UserView.properties, disabled: Type.Boolean(), mustChangePassword: Type.Boolean() });
export const ListQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')])), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) },
  { additionalProperties: false },
);
export const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });
export const NewUserBody = Type.Object({ username: Username, password: Password, role: RoleInside }, { additionalProperties: false });
export const RoleBody = Type.Object({ role: RoleInside }, { additionalProperties: false });
export const UserParams = Type.Object({ id: Id, userId: Id }, { additionalProperties: false });

export type RoleInside = Static<typeof RoleInside>;
export type ApplicationBody = Static<typeof ApplicationBody>;
export type ApplicationView = Static<typeof ApplicationView>;
export type ParticipantDetail = Static<typeof ParticipantDetail>;
export type UserView = Static<typeof UserView>;
export type ListedUserView = Static<typeof ListedUserView>;
export type ListQuery = Static<typeof ListQuery>;
export type NoteBody = Static<typeof NoteBody>;
export type ReasonBody = Static<typeof ReasonBody>;
export type NewUserBody = Static<typeof NewUserBody>;
export type RoleBody = Static<typeof RoleBody>;
export type UserParams = Static<typeof UserParams>;
