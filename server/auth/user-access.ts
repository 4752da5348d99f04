import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit } from '../audit/audit-log.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import { hashNewPassword } from './password-policy.ts';
import { verifyPassword } from './passwords.ts';
import { revokeUserSessions } from './session-store.ts';

// What an operator (any user) or a participant's admin (its own users) may do to one account,
// and what a user may do to its own password. Every change ends the account's sessions in the
// same transaction; the caller announces it to every node after the commit.

export interface Actor {
  id: string;
  username: string;
}

/** Which users an actor may manage: all (operator) or one participant's (its admin). */
export type UserScope = { participantId: string } | 'all';

interface TargetRow {
  id: string;
  username: string;
  role: string;
  participant_id: string | null;
  participant_role: string | null;
  disabled_at: Date | null;
}

async function lockTarget(trx: Knex.Transaction, actor: Actor, userId: string, scope: UserScope): Promise<TargetRow> {
  const q = trx('users').where({ id: userId }).forUpdate();
  if (scope !== 'all') q.andWhere({ participant_id: scope.participantId });
  const row = await q.first<TargetRow | undefined>('id', 'username', 'role', 'participant_id', 'participant_role', 'disabled_at');
  if (!row) throw notFound('USER_NOT_FOUND', scope === 'all' ? `no user ${userId}` : `no user ${userId} in this participant`);
  // Locking oneself out (or resetting one's own password from the admin screen) is never meant.
  if (row.id === actor.id) throw conflict('CANNOT_CHANGE_OWN_ACCOUNT', 'you cannot disable or reset your own account; use the password screen for your own password');
  return row;
}

/** A participant keeps one enabled admin, as it keeps one admin when roles change. */
async function refuseLastEnabledAdmin(trx: Knex.Transaction, row: TargetRow): Promise<void> {
  if (row.participant_role !== 'admin' || !row.participant_id) return;
  const others = await trx('users')
    .where({ participant_id: row.participant_id, participant_role: 'admin' })
    .whereNull('disabled_at')
    .whereNot({ id: row.id })
    .forUpdate()
    .select('id');
  if (others.length === 0) throw unprocessable('LAST_ADMIN', 'a participant keeps at least one enabled participant admin');
}

export interface AccountState {
  id: string;
  username: string;
  disabled: boolean;
  mustChangePassword: boolean;
}

export async function setUserDisabled(knex: Knex, actor: Actor, userId: string, disabled: boolean, scope: UserScope): Promise<AccountState> {
  return knex.transaction(async (trx) => {
    const row = await lockTarget(trx, actor, userId, scope);
    if (disabled && !row.disabled_at) await refuseLastEnabledAdmin(trx, row);
    const [updated] = await trx('users')
      .where({ id: userId })
      .update({ disabled_at: disabled ? (row.disabled_at ?? trx.fn.now()) : null })
      .returning<Array<{ id: string; username: string; disabled_at: Date | null; must_change_password: boolean }>>(['id', 'username', 'disabled_at', 'must_change_password']);
    if (disabled) await revokeUserSessions(trx, userId, 'disabled');
    if (Boolean(row.disabled_at) !== disabled) {
      await appendAudit(trx, [{ actorUserId: actor.id, actor: actor.username, action: disabled ? 'user.disable' : 'user.enable', subject: `user:${userId}`, payload: { username: row.username } }]);
    }
    return { id: updated!.id, username: updated!.username, disabled: updated!.disabled_at !== null, mustChangePassword: updated!.must_change_password };
  });
}

// 16 characters of 32 letters and digits (80 bits): shown once to whoever reset it, changed at first sign-in.
const TEMPORARY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789AB';
function temporaryPassword(): string {
  return [...randomBytes(16)].map((b) => TEMPORARY_ALPHABET[b % 32]).join('').replace(/(.{4})(?!$)/g, '$1-');
}

/** A new temporary password the user must change at next sign-in; ends the user's sessions. */
export async function forcePasswordReset(knex: Knex, actor: Actor, userId: string, scope: UserScope): Promise<AccountState & { temporaryPassword: string }> {
  return knex.transaction(async (trx) => {
    const row = await lockTarget(trx, actor, userId, scope);
    const password = temporaryPassword();
    const passwordHash = await hashNewPassword(row.username, password);
    await trx('users').where({ id: userId }).update({ password_hash: passwordHash, must_change_password: true, password_changed_at: trx.fn.now() });
    await revokeUserSessions(trx, userId, 'password_reset');
    await appendAudit(trx, [{ actorUserId: actor.id, actor: actor.username, action: 'user.password.reset', subject: `user:${userId}`, payload: { username: row.username } }]);
    return { id: row.id, username: row.username, disabled: row.disabled_at !== null, mustChangePassword: true, temporaryPassword: password };
  });
}

/**
 * The user's own change: the current password must match. Every other session of the user ends
 * in the same commit (a device that knew the old password keeps nothing); the session asking,
 * which has just proved it knows the password, stays.
 */
export async function changeOwnPassword(knex: Knex, user: Actor & { sessionId: string }, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const row = await knex('users').where({ id: user.id }).first<{ password_hash: string } | undefined>('password_hash');
  if (!row || !(await verifyPassword(row.password_hash, input.currentPassword))) throw unprocessable('PASSWORD_WRONG', 'the current password is wrong');
  if (input.newPassword === input.currentPassword) throw unprocessable('PASSWORD_UNCHANGED', 'the new password must differ from the current one');
  const passwordHash = await hashNewPassword(user.username, input.newPassword);
  return knex.transaction(async (trx) => {
    // The hash read above must still be the current one: a parallel change or reset wins once.
    const updated = await trx('users')
      .where({ id: user.id, password_hash: row.password_hash })
      .update({ password_hash: passwordHash, must_change_password: false, password_changed_at: trx.fn.now() });
    if (updated !== 1) throw conflict('PASSWORD_CHANGED_MEANWHILE', 'the password was changed meanwhile; sign in again');
    await revokeUserSessions(trx, user.id, 'password_change', user.sessionId);
    await appendAudit(trx, [{ actorUserId: user.id, actor: user.username, action: 'user.password.change', subject: `user:${user.id}`, payload: {} }]);
  });
}
