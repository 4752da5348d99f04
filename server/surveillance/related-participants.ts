import type { Knex } from 'knex';
import { appendAudit } from '../audit/audit-log.ts';
import { conflict, notFound } from '../errors.ts';
import { relatedPairKey } from './types.ts';

export interface RelatedPairRow {
  participant_a: string;
  participant_b: string;
  reason: string;
  created_by: string;
  created_at: Date;
}

/** The pair as stored: smaller id first. */
export function orderedPair(a: string, b: string): { participant_a: string; participant_b: string } {
  return BigInt(a) < BigInt(b) ? { participant_a: a, participant_b: b } : { participant_a: b, participant_b: a };
}

export async function loadRelatedPairs(knex: Knex): Promise<Set<string>> {
  const rows = await knex('related_participants').select<Array<Pick<RelatedPairRow, 'participant_a' | 'participant_b'>>>('participant_a', 'participant_b');
  return new Set(rows.map((r) => relatedPairKey(r.participant_a, r.participant_b)));
}

export interface RelatedPairNamed extends RelatedPairRow {
  name_a: string;
  name_b: string;
  username: string;
}

type Actor = { id: string; username: string };
type Pair = { participant_a: string; participant_b: string };

/** Every marked pair with both names and who marked it. */
export async function listRelatedPairs(db: Knex | Knex.Transaction): Promise<RelatedPairNamed[]> {
  return db('related_participants as r')
    .join('participants as a', 'a.id', 'r.participant_a')
    .join('participants as b', 'b.id', 'r.participant_b')
    .join('users as u', 'u.id', 'r.created_by')
    .orderBy(['r.participant_a', 'r.participant_b'])
    .select<RelatedPairNamed[]>('r.*', 'a.name as name_a', 'b.name as name_b', 'u.username');
}

/**
 * Marks the pair related, audited in the same transaction. PARTICIPANT_NOT_FOUND for an unknown
 * (or platform) id; ALREADY_RELATED from the pair's primary key, not from a read before the write.
 */
export async function relateParticipants(knex: Knex, pair: Pair, reason: string, actor: Actor): Promise<{ row: RelatedPairRow; nameA: string; nameB: string }> {
  return knex.transaction(async (trx) => {
    const found = await trx('participants').whereIn('id', [pair.participant_a, pair.participant_b]).whereNot({ kind: 'platform' }).select<Array<{ id: string; name: string }>>('id', 'name');
    const name = (id: string) => found.find((p) => p.id === id)?.name;
    for (const id of [pair.participant_a, pair.participant_b]) if (!name(id)) throw notFound('PARTICIPANT_NOT_FOUND', `no participant ${id}`);
    const [row] = await trx('related_participants')
      .insert({ ...pair, reason, created_by: actor.id })
      .onConflict(['participant_a', 'participant_b'])
      .ignore()
      .returning<RelatedPairRow[]>('*');
    if (!row) throw conflict('ALREADY_RELATED', `participants ${pair.participant_a} and ${pair.participant_b} are already marked related`);
    await appendAudit(trx, [
      { actorUserId: actor.id, actor: actor.username, action: 'participants.relate', subject: `participant:${pair.participant_a}`, payload: { participantA: pair.participant_a, participantB: pair.participant_b, reason } },
    ]);
    return { row, nameA: name(pair.participant_a)!, nameB: name(pair.participant_b)! };
  });
}

/** Removes the mark, audited in the same transaction; NOT_RELATED when there was none. */
export async function unrelateParticipants(knex: Knex, pair: Pair, actor: Actor): Promise<void> {
  await knex.transaction(async (trx) => {
    const [row] = await trx('related_participants').where(pair).delete().returning<RelatedPairRow[]>('*');
    if (!row) throw notFound('NOT_RELATED', `participants ${pair.participant_a} and ${pair.participant_b} are not marked related`);
    await appendAudit(trx, [
      {
        actorUserId: actor.id,
        actor: actor.username,
        action: 'participants.unrelate',
        subject: `participant:${pair.participant_a}`,
        payload: { participantA: pair.participant_a, participantB: pair.participant_b, reason: row.reason, markedAt: row.created_at.toISOString() },
      },
    ]);
  });
}
