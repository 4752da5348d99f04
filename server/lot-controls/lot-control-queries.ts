import type { Knex } from 'knex';

// What lot controls read: the lot and who holds its pieces now, open freezes with their pieces,
// revocations with what had been sold onward, and the controls touching one holder.

type Db = Knex | Knex.Transaction;

export interface ControlLotRow {
  id: string;
  symbol: string;
  quantity: string;
  participant_id: string;
  registrant: string;
  region: string;
  source_project: string;
  verification_ref: string;
}

export interface FreezeRow {
  id: string;
  lot_id: string;
  reason: 'dispute' | 'court_order' | 'pledge';
  note: string;
  frozen_by: string;
  opened_at: Date;
}

export interface PieceRow {
  owner_id: string;
  participant_id: string;
  participant: string;
  quantity: string;
}

export interface RevocationRow {
  id: string;
  lot_id: string;
  holder_id: string;
  reason: string;
  revoked_by: string;
  revoked_at: Date;
  removed_quantity: string;
}

export interface OnwardRow extends PieceRow {
  status: 'held' | 'used' | 'retired';
}

const lotColumns = ['l.id', 'l.symbol', 'l.quantity', 'l.participant_id', 'p.name as registrant', 'l.region', 'l.source_project', 'l.verification_ref'];

export async function controlLot(db: Db, id: string): Promise<ControlLotRow | undefined> {
  return db('lots as l').join('participants as p', 'p.id', 'l.participant_id').where('l.id', id).first<ControlLotRow | undefined>(lotColumns);
}

/** Newest first; of one registrant or symbol when named. */
export async function controlLots(db: Db, filter: { participantId?: string; symbol?: string; limit: number }): Promise<ControlLotRow[]> {
  const q = db('lots as l').join('participants as p', 'p.id', 'l.participant_id').orderBy('l.id', 'desc').limit(filter.limit);
  if (filter.participantId) q.where('l.participant_id', filter.participantId);
  if (filter.symbol) q.where('l.symbol', filter.symbol);
  return q.select<ControlLotRow[]>(lotColumns);
}

/** Who holds a piece of the lot now, and how much. */
export async function currentPieces(db: Db, lotId: string): Promise<Array<{ participant_id: string; quantity: string }>> {
  return db('lot_holdings').where({ lot_id: lotId }).where('quantity', '>', 0).orderBy('id').select<Array<{ participant_id: string; quantity: string }>>('participant_id', 'quantity');
}

export async function openFreezes(db: Db, lotIds: string[]): Promise<FreezeRow[]> {
  if (lotIds.length === 0) return [];
  return db('lot_freezes as f')
    .join('users as u', 'u.id', 'f.opened_by')
    .whereIn('f.lot_id', lotIds)
    .whereNull('f.closed_at')
    .select<FreezeRow[]>('f.id', 'f.lot_id', 'f.reason', 'f.note', 'u.username as frozen_by', 'f.opened_at');
}

export async function freezePieces(db: Db, freezeIds: string[]): Promise<PieceRow[]> {
  if (freezeIds.length === 0) return [];
  return db('lot_freeze_pieces as x')
    .join('participants as p', 'p.id', 'x.participant_id')
    .whereIn('x.freeze_id', freezeIds)
    .orderBy(['x.freeze_id', 'x.participant_id'])
    .select<PieceRow[]>('x.freeze_id as owner_id', 'x.participant_id', 'p.name as participant', 'x.quantity');
}

export async function revocations(db: Db, lotIds: string[]): Promise<RevocationRow[]> {
  if (lotIds.length === 0) return [];
  return db('lot_revocations as r')
    .join('users as u', 'u.id', 'r.revoked_by')
    .whereIn('r.lot_id', lotIds)
    .select<RevocationRow[]>('r.id', 'r.lot_id', 'r.holder_id', 'r.reason', 'u.username as revoked_by', 'r.revoked_at', 'r.removed_quantity');
}

export async function onwardOf(db: Db, revocationIds: string[]): Promise<OnwardRow[]> {
  if (revocationIds.length === 0) return [];
  return db('lot_revocation_onward as o')
    .join('participants as p', 'p.id', 'o.participant_id')
    .whereIn('o.revocation_id', revocationIds)
    .orderBy(['o.revocation_id', 'o.participant_id', 'o.status'])
    .select<OnwardRow[]>('o.revocation_id as owner_id', 'o.participant_id', 'p.name as participant', 'o.status', 'o.quantity');
}

export interface HolderControlRow {
  lot_id: string;
  symbol: string;
  verification_ref: string;
  status: 'frozen' | 'revoked';
  quantity: string;
  reason: string;
  note: string | null;
  at: Date;
}

/** Open freezes locking the participant's pieces, and revocations that removed its quantity. */
export async function holderControls(db: Db, participantId: string): Promise<HolderControlRow[]> {
  const { rows } = await db.raw<{ rows: HolderControlRow[] }>(
    `SELECT l.id AS lot_id, l.symbol, l.verification_ref, 'frozen' AS status, x.quantity::text AS quantity, f.reason, f.note, f.opened_at AS at
       FROM lot_freeze_pieces x JOIN lot_freezes f ON f.id = x.freeze_id JOIN lots l ON l.id = f.lot_id
      WHERE x.participant_id = ? AND f.closed_at IS NULL
     UNION ALL
     SELECT l.id, l.symbol, l.verification_ref, 'revoked', r.removed_quantity::text, r.reason, NULL, r.revoked_at
       FROM lot_revocations r JOIN lots l ON l.id = r.lot_id
      WHERE r.holder_id = ?
     ORDER BY at DESC`,
    [participantId, participantId],
  );
  return rows;
}
