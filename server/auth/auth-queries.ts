import type { Knex } from 'knex';
import type { Role } from '../../contract/common.ts';
import { sameUsername } from '../shared/usernames.ts';

// What sign-in and the session answers read of users and their participant.

type Db = Knex | Knex.Transaction;

export interface SignInRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  participant_id: string | null;
  participant_status: string | null;
  disabled: boolean;
  must_change_password: boolean;
}

export interface SessionUserRow {
  id: string;
  username: string;
  role: Role;
  participant_id: string | null;
  must_change_password: boolean;
}

/** The account a username signs in to, whatever its case; the exact spelling wins where two differed only in case. */
export function userForSignIn(db: Db, username: string): Promise<SignInRow | undefined> {
  return db('users as u')
    .leftJoin('participants as p', 'p.id', 'u.participant_id')
    .where(sameUsername(username, 'u.username'))
    .orderByRaw('(u.username = ?) DESC, u.id', [username])
    .first<SignInRow | undefined>('u.id', 'u.username', 'u.password_hash', 'u.role', 'u.participant_id', 'u.must_change_password', 'p.status as participant_status', db.raw('u.disabled_at IS NOT NULL AS disabled'));
}

export function sessionUser(db: Db, userId: string): Promise<SessionUserRow> {
  return db('users').where({ id: userId }).first<SessionUserRow>('id', 'username', 'role', 'participant_id', 'must_change_password');
}

export function participantSummary(db: Db, participantId: string) {
  return db('participants').where({ id: participantId }).first('id', 'name', 'kind', 'region', 'prefecture');
}
