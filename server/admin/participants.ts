import type { Knex } from 'knex';
import { conflict } from '../errors.ts';
import { hashNewPassword } from '../auth/password-policy.ts';
import { CASH } from '../engine/assets.ts';
import { sameUsername } from '../shared/usernames.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { money } from '../shared/decimal.ts';
import type { AdminParticipant } from '../../contract/staff-admin.ts';

export interface NewParticipant {
  name: string;
  kind: 'government' | 'enterprise';
  region: string;
  prefecture: string;
  username: string;
  password: string;
}

/** 设区市 of a county such as 上饶市婺源县 → 上饶市; a region without 市 is its own prefecture. */
export function prefectureOf(region: string): string {
  const match = /^(.+?市)/.exec(region);
  return match ? match[1]! : region;
}

/** Admits a participant with its first user and an empty cash account. */
export async function createParticipant(trx: Knex.Transaction, p: NewParticipant) {
  if (await trx('users').where(sameUsername(p.username)).first('id')) throw conflict('DUPLICATE_USERNAME', `username ${p.username} is taken`);
  if (await trx('participants').where({ name: p.name }).first('id')) throw conflict('DUPLICATE_PARTICIPANT', `${p.name} is already a participant`);
  const [participant] = await trx('participants')
    .insert({ name: p.name, kind: p.kind, region: p.region, prefecture: p.prefecture })
    .returning<Array<{ id: string; name: string; kind: string; region: string; prefecture: string; status: string }>>(['id', 'name', 'kind', 'region', 'prefecture', 'status']);
  const [user] = await trx('users')
    .insert({ username: p.username, password_hash: await hashNewPassword(p.username, p.password), role: 'participant', participant_id: participant!.id })
    .returning<Array<{ id: string; username: string }>>(['id', 'username']);
  await trx('accounts').insert({ participant_id: participant!.id, asset: CASH });
  return { participant: participant!, user: user! };
}

export async function createStaffUser(trx: Knex.Transaction, username: string, password: string, role: 'regulator' | 'operator') {
  const [user] = await trx('users').insert({ username, password_hash: await hashNewPassword(username, password), role }).returning<Array<{ id: string }>>('id');
  return user!;
}

/** The operator admits a participant: created and audited in one transaction. */
export function admitParticipant(knex: Knex, actor: { id: string; username: string }, p: Omit<NewParticipant, 'prefecture'> & { prefecture?: string }) {
  return knex.transaction(async (trx) => {
    const result = await createParticipant(trx, { ...p, prefecture: p.prefecture ?? prefectureOf(p.region) });
    await appendAudit(trx, [
      {
        actorUserId: actor.id,
        actor: actor.username,
        action: 'participant.admit',
        subject: `participant:${result.participant.id}`,
        payload: { name: p.name, kind: p.kind, region: p.region, username: p.username },
      },
    ]);
    return result;
  });
}

/** Every participant but the platform's own, in admission order. */
/** Every participant with its cash account, in admission order. */
export async function listParticipants(db: Knex | Knex.Transaction): Promise<AdminParticipant[]> {
  const rows = await db('participants as p')
    .leftJoin('accounts as a', (j) => j.on('a.participant_id', 'p.id').andOnVal('a.asset', CASH))
    .whereNot('p.kind', 'platform')
    .orderBy('p.id')
    .select<Array<Omit<AdminParticipant, 'cashAvailable' | 'cashLocked'> & { available: string | null; locked: string | null }>>('p.id', 'p.name', 'p.kind', 'p.region', 'p.prefecture', 'p.status', 'a.available', 'a.locked');
  return rows.map(({ available, locked, ...p }) => ({ ...p, cashAvailable: money(available ?? '0'), cashLocked: money(locked ?? '0') }));
}
