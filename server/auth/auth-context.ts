import type { Role } from './tokens.ts';

export type ParticipantKind = 'government' | 'enterprise' | 'platform';

/** The caller of a request: its bearer token's session, and the user as PostgreSQL has it now. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  participantId: string | null;
  participantKind: ParticipantKind | null;
  /** Role inside the participant: admin (manages its users, trades), trader, viewer (reads only). */
  participantRole: 'admin' | 'trader' | 'viewer' | null;
  /** The session the bearer token names; logout and password change end it. */
  sessionId: string;
  /** Set by a forced reset: until the user picks a new password, nothing else is allowed. */
  mustChangePassword: boolean;
}
