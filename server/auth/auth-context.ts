import type { Role } from './tokens.ts';

export type ParticipantKind = 'government' | 'enterprise' | 'platform';

/** The caller of a request, resolved from its bearer token. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  participantId: string | null;
  participantKind: ParticipantKind | null;
  /** Role inside the participant: admin (manages its users, trades), trader, viewer (reads only). */
  participantRole: 'admin' | 'trader' | 'viewer' | null;
}
