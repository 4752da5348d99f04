import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { ParticipantKind } from './auth-context.ts';
import type { Role } from './tokens.ts';

// SQL of sessions and refresh tokens (tables in migrations/20261205000200_auth_sessions.ts).
// A refresh token is 32 random bytes; only its SHA-256 is stored, so a copy of the database
// cannot resume anyone's session.

export type RevokeReason = 'logout' | 'refresh_reuse' | 'role_change' | 'disabled' | 'password_change' | 'password_reset' | 'participant_suspended';

type Db = Knex | Knex.Transaction;

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');
const newRefreshToken = (): string => randomBytes(32).toString('base64url');

/** Opens a session for the user with its first refresh token. */
export async function openSession(db: Db, userId: string, refreshTtlSeconds: number, userAgent: string | undefined): Promise<{ sessionId: string; refreshToken: string }> {
  const [session] = await db('auth_sessions')
    .insert({ user_id: userId, expires_at: db.raw(`now() + make_interval(secs => ?)`, [refreshTtlSeconds]), user_agent: userAgent?.slice(0, 300) ?? null })
    .returning<Array<{ id: string }>>('id');
  const refreshToken = newRefreshToken();
  await db('auth_refresh_tokens').insert({ session_id: session!.id, token_hash: hashOf(refreshToken) });
  return { sessionId: session!.id, refreshToken };
}

export type Rotation =
  | { kind: 'rotated'; sessionId: string; userId: string; refreshToken: string }
  /** Spent a moment ago by a parallel request (another tab): a new access token, no new refresh token. */
  | { kind: 'grace'; sessionId: string; userId: string }
  /** Spent long ago and presented again: the session has just been revoked. */
  | { kind: 'reused'; sessionId: string; userId: string }
  | { kind: 'ended' }
  | { kind: 'unknown' };

/**
 * Spends a refresh token and issues its successor. The session row is locked first, so two
 * refreshes of one session run one after the other and only the first finds the token unspent.
 */
export async function rotateRefreshToken(knex: Knex, token: string, refreshTtlSeconds: number, graceSeconds: number): Promise<Rotation> {
  return knex.transaction(async (trx) => {
    const row = await trx('auth_refresh_tokens as t')
      .join('auth_sessions as s', 's.id', 't.session_id')
      .where('t.token_hash', hashOf(token))
      .forUpdate('s')
      .first<
        { id: string; session_id: string; user_id: string; live: boolean; in_grace: boolean | null; spent: boolean } | undefined
      >('t.id', 't.session_id', 's.user_id', trx.raw('(s.revoked_at IS NULL AND s.expires_at > now()) AS live'), trx.raw('t.used_at IS NOT NULL AS spent'), trx.raw('t.used_at > now() - make_interval(secs => ?) AS in_grace', [graceSeconds]));
    if (!row) return { kind: 'unknown' };
    if (!row.live) return { kind: 'ended' };
    const ids = { sessionId: row.session_id, userId: row.user_id };
    if (row.spent) {
      if (row.in_grace) return { kind: 'grace', ...ids };
      await revokeSessionsWhere(trx, { id: row.session_id }, 'refresh_reuse');
      return { kind: 'reused', ...ids };
    }
    await trx('auth_refresh_tokens').where({ id: row.id }).update({ used_at: trx.fn.now() });
    const refreshToken = newRefreshToken();
    await trx('auth_refresh_tokens').insert({ session_id: row.session_id, token_hash: hashOf(refreshToken) });
    await trx('auth_sessions')
      .where({ id: row.session_id })
      .update({ refreshed_at: trx.fn.now(), expires_at: trx.raw(`now() + make_interval(secs => ?)`, [refreshTtlSeconds]) });
    return { kind: 'rotated', ...ids, refreshToken };
  });
}

/** The session a refresh token belongs to, spent or not (logout by cookie). */
export async function sessionOfRefreshToken(db: Db, token: string): Promise<{ sessionId: string; userId: string } | null> {
  const row = await db('auth_refresh_tokens as t')
    .join('auth_sessions as s', 's.id', 't.session_id')
    .where('t.token_hash', hashOf(token))
    .first<{ session_id: string; user_id: string } | undefined>('t.session_id', 's.user_id');
  return row ? { sessionId: row.session_id, userId: row.user_id } : null;
}

async function revokeSessionsWhere(db: Db, where: { id: string } | { user_id: string }, reason: RevokeReason, exceptSessionId?: string): Promise<string[]> {
  const q = db('auth_sessions').where(where).whereNull('revoked_at');
  if (exceptSessionId) q.whereNot('id', exceptSessionId);
  const rows = await q.update({ revoked_at: db.fn.now(), revoked_reason: reason }).returning<Array<{ id: string }>>('id');
  return rows.map((r) => r.id);
}

export const revokeSession = (db: Db, sessionId: string, reason: RevokeReason): Promise<string[]> => revokeSessionsWhere(db, { id: sessionId }, reason);

/** Ends every live session of the user (optionally but one); returns the ids it ended. */
export const revokeUserSessions = (db: Db, userId: string, reason: RevokeReason, exceptSessionId?: string): Promise<string[]> =>
  revokeSessionsWhere(db, { user_id: userId }, reason, exceptSessionId);

/** Who stands behind a session now: the user's current role and state, read from PostgreSQL. */
export interface SessionPrincipal {
  userId: string;
  username: string;
  role: Role;
  participantId: string | null;
  participantKind: ParticipantKind | null;
  participantRole: 'admin' | 'trader' | 'viewer' | null;
  participantSuspended: boolean;
  disabled: boolean;
  mustChangePassword: boolean;
  sessionLive: boolean;
}

export async function loadPrincipal(db: Db, sessionId: string, userId: string): Promise<SessionPrincipal | null> {
  const row = await db('auth_sessions as s')
    .join('users as u', 'u.id', 's.user_id')
    .leftJoin('participants as p', 'p.id', 'u.participant_id')
    .where('s.id', sessionId)
    .andWhere('s.user_id', userId)
    .first<
      | {
          id: string;
          username: string;
          role: Role;
          participant_id: string | null;
          kind: ParticipantKind | null;
          participant_role: SessionPrincipal['participantRole'];
          participant_status: string | null;
          disabled: boolean;
          must_change_password: boolean;
          live: boolean;
        }
      | undefined
    >(
      'u.id',
      'u.username',
      'u.role',
      'u.participant_id',
      'u.participant_role',
      'u.must_change_password',
      'p.kind',
      'p.status as participant_status',
      db.raw('u.disabled_at IS NOT NULL AS disabled'),
      db.raw('(s.revoked_at IS NULL AND s.expires_at > now()) AS live'),
    );
  if (!row) return null;
  return {
    userId: row.id,
    username: row.username,
    role: row.role,
    participantId: row.participant_id,
    participantKind: row.kind,
    participantRole: row.participant_role,
    participantSuspended: row.participant_status === 'suspended',
    disabled: row.disabled,
    mustChangePassword: row.must_change_password,
    sessionLive: row.live,
  };
}
