import { Type, type Static } from 'typebox';
import { Nullable, PARTICIPANT_KINDS, ROLES, StringEnum } from './common.ts';

// Signing in and the session: what the login, refresh and password endpoints take and answer,
// and who /api/auth/me says the caller is. The refresh token travels only as an HttpOnly cookie.

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const PasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
    newPassword: Type.String({ minLength: 1, maxLength: 200, description: 'at least 12 characters, not common, not containing the username' }),
  },
  { additionalProperties: false },
);
export type PasswordBody = Static<typeof PasswordBody>;

/** Logout and refresh take no fields; `{}` keeps them JSON like every other POST. */
export const EmptyBody = Type.Object({}, { additionalProperties: false });

export const SessionUser = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: StringEnum(ROLES),
  participantId: Nullable(Type.String()),
  mustChangePassword: Type.Boolean({ description: 'a reset password: the user must choose a new one before anything else' }),
});
export type SessionUser = Static<typeof SessionUser>;

export const SessionAnswer = Type.Object({
  token: Type.String({ description: 'access token for Authorization: Bearer; the refresh token is set as an HttpOnly cookie' }),
  expiresIn: Type.Integer({ description: 'seconds the access token stays valid' }),
  user: SessionUser,
});
export type SessionAnswer = Static<typeof SessionAnswer>;

export const SessionParticipant = Type.Object({ id: Type.String(), name: Type.String(), kind: StringEnum(PARTICIPANT_KINDS), region: Type.String(), prefecture: Type.String() });
export type SessionParticipant = Static<typeof SessionParticipant>;

export const Me = Type.Object({ ...SessionUser.properties, participant: Nullable(SessionParticipant) });
export type Me = Static<typeof Me>;

/** A published demo login (only on a demo start). */
export const DemoUser = Type.Object({
  username: Type.String(),
  password: Type.String(),
  role: Type.String({ description: '"operator", "regulator" or "participant:government" / "participant:enterprise"' }),
  participantName: Nullable(Type.String()),
});
export type DemoUser = Static<typeof DemoUser>;
