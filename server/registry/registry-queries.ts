import type { Knex } from 'knex';
import type { LotRow as BaseLotRow } from '../shared/table-rows.ts';

// What the registry's routes read: uses and retirements (registry_actions), the lots a
// certificate names, and a lot's chain of holders and movements.

type Db = Knex | Knex.Transaction;

export interface ActionRow {
  id: string;
  participant_id: string;
  kind: 'use' | 'retire';
  symbol: string;
  quantity: string;
  request_id: string;
  request_fingerprint: string | null;
  project_name: string | null;
  approval_ref: string | null;
  beneficiary: string | null;
  reason: string | null;
  certificate_no: string;
  created_at: Date;
}

/** A lot with the name of the participant it was issued to. */
export interface LotRow extends BaseLotRow {
  holder: string;
}

export interface MovementRow {
  id: string;
  kind: string;
  from_id: string | null;
  to_id: string | null;
  from_name: string | null;
  to_name: string | null;
  quantity: string;
  trade_id: string | null;
  registry_action_id: string | null;
  created_at: Date;
}

/** The participant's action with this client-chosen request id, if it was already made. */
export async function actionByRequestId(db: Db, participantId: string, requestId: string): Promise<ActionRow | undefined> {
  return db('registry_actions').where({ participant_id: participantId, request_id: requestId }).first<ActionRow | undefined>();
}

export async function actionsOf(db: Db, participantId: string): Promise<ActionRow[]> {
  return db('registry_actions').where({ participant_id: participantId }).orderBy('id', 'desc').select<ActionRow[]>('*');
}

export async function actionById(db: Db, id: string): Promise<ActionRow | undefined> {
  return db('registry_actions').where({ id }).first<ActionRow | undefined>();
}

export async function holderOf(db: Db, participantId: string): Promise<{ name: string; region: string } | undefined> {
  return db('participants').where({ id: participantId }).first<{ name: string; region: string } | undefined>('name', 'region');
}

/** The verified lots a use or retirement took its quantity from. */
export async function sourceLotsOf(db: Db, actionId: string): Promise<Array<{ verification_ref: string; source_project: string; quantity: string }>> {
  return db('lot_movements as m')
    .join('lots as l', 'l.id', 'm.lot_id')
    .where('m.registry_action_id', actionId)
    .select<Array<{ verification_ref: string; source_project: string; quantity: string }>>('l.verification_ref', 'l.source_project', 'm.quantity');
}

export async function lotById(db: Db, id: string): Promise<LotRow | undefined> {
  return db('lots as l').join('participants as p', 'p.id', 'l.participant_id').where('l.id', id).first<LotRow | undefined>('l.*', 'p.name as holder');
}

/** Every movement of the lot, oldest first, with the names of both sides. */
export async function movementsOf(db: Db, lotId: string): Promise<MovementRow[]> {
  return db('lot_movements as m')
    .leftJoin('participants as f', 'f.id', 'm.from_participant_id')
    .leftJoin('participants as t', 't.id', 'm.to_participant_id')
    .where('m.lot_id', lotId)
    .orderBy('m.id')
    .select<MovementRow[]>('m.id', 'm.kind', 'm.from_participant_id as from_id', 'm.to_participant_id as to_id', 'f.name as from_name', 't.name as to_name', 'm.quantity', 'm.trade_id', 'm.registry_action_id', 'm.created_at');
}

/** Who holds a piece of the lot now. */
export async function holdingsOf(db: Db, lotId: string): Promise<Array<{ name: string; quantity: string }>> {
  return db('lot_holdings as h')
    .join('participants as p', 'p.id', 'h.participant_id')
    .where('h.lot_id', lotId)
    .where('h.quantity', '>', 0)
    .orderBy('h.id')
    .select<Array<{ name: string; quantity: string }>>('p.name', 'h.quantity');
}
