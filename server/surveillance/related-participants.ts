import type { Knex } from 'knex';
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
