import type { Knex } from 'knex';
import { conflict, forbidden, notFound, unprocessable, type AppError } from '../errors.ts';
import { dec } from '../shared/decimal.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { moveAvailable, participantAccountForUpdate, systemAccountId } from '../ledger/journal.ts';
import { giveLots, recordMovements } from '../registry/lot-holdings.ts';
import { isUniqueViolation } from '../shared/unique-violation.ts';
import type { LotRow } from '../account/account-queries.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';

// Registering a verified lot creates quantity. In production it happens only when a second
// operator approves a reviewed submission (server/lot-submissions); registerLot itself serves the
// demo seed, test support and, when LOT_DIRECT_REGISTRATION is on, test harnesses over HTTP.
// A verification reference (验收文号 / 备案号) registers one lot per instrument: the unique key lots(symbol, verification_ref), written in
// the transaction that credits the holder, refuses a repeat — also when ten arrive at once, where
// a lookup beforehand would let them all through and the losers would hit the key as a 500.

export interface LotRequest {
  participantId: string;
  indicatorType: string;
  symbol: string;
  quantity: string;
  region: string;
  sourceProject: string;
  verificationRef: string;
  vintage: number;
  attributes?: Record<string, string | number | boolean>;
}

export async function registerLot(knex: Knex, actor: { id: string; username: string }, spec: InstrumentSpec, b: LotRequest): Promise<LotRow> {
  try {
    return await knex.transaction((trx) => issueLot(trx, actor, spec, b));
  } catch (error) {
    throw duplicateLotRefusal(error, b.verificationRef) ?? error;
  }
}

/** The DUPLICATE_LOT answer when `error` is the lots(symbol, verification_ref) key, else null. */
export function duplicateLotRefusal(error: unknown, verificationRef: string): AppError | null {
  return isUniqueViolation(error, 'lots_symbol_verification_ref_unique')
    ? conflict('DUPLICATE_LOT', `a lot with verification reference ${verificationRef} is already registered`, { verificationRef })
    : null;
}

/**
 * Creates the lot inside the caller's transaction: the issuance journal transfer, the append-only
 * lots row, the holder's lot holding and its issue movement, and the audit entry. The four-eyes
 * approval of a submission calls this in the transaction that marks the submission approved.
 */
export async function issueLot(trx: Knex.Transaction, actor: { id: string; username: string }, spec: InstrumentSpec, b: LotRequest): Promise<LotRow> {
  if (spec.row.indicator_type !== b.indicatorType) throw unprocessable('INDICATOR_MISMATCH', `${b.symbol} is a ${spec.row.indicator_type} instrument, not ${b.indicatorType}`);
  const quantity = dec(b.quantity);
  if (quantity.lte(0) || !quantity.div(spec.lot).isInteger()) {
    throw unprocessable('QUANTITY_NOT_ON_LOT', `quantity ${b.quantity} is not a positive multiple of the lot size ${spec.row.lot_size} ${spec.row.unit}`);
  }
  const holder = await trx('participants').where({ id: b.participantId }).first<{ kind: string } | undefined>('kind');
  if (!holder || holder.kind === 'platform') throw notFound('PARTICIPANT_NOT_FOUND', `no participant ${b.participantId}`);
  if (spec.row.seller_kinds === 'government' && holder.kind !== 'government') {
    throw forbidden('HOLDER_NOT_ELIGIBLE', `${spec.row.name_zh} lots are issued to government bodies only`);
  }
  const issuance = await systemAccountId(trx, 'issuance', b.symbol);
  const account = await participantAccountForUpdate(trx, b.participantId, b.symbol);
  const transferId = await moveAvailable(trx, { kind: 'lot_registration', reference: `lot:${b.verificationRef}` }, [
    { accountId: issuance, asset: b.symbol, amount: quantity.neg() },
    { accountId: account, asset: b.symbol, amount: quantity },
  ]);
  const [row] = await trx('lots')
    .insert({
      participant_id: b.participantId,
      symbol: b.symbol,
      quantity: quantity.toString(),
      region: b.region,
      source_project: b.sourceProject,
      verification_ref: b.verificationRef,
      vintage: b.vintage,
      attributes: JSON.stringify(b.attributes ?? {}),
      transfer_id: transferId,
    })
    .returning<LotRow[]>('*');
  const piece = [{ lotId: row!.id, quantity }];
  await giveLots(trx, b.participantId, b.symbol, piece);
  await recordMovements(trx, piece, { kind: 'issue', fromParticipantId: null, toParticipantId: b.participantId });
  await appendAudit(trx, [
    {
      actorUserId: actor.id,
      actor: actor.username,
      action: 'lot.register',
      subject: `lot:${row!.id}`,
      payload: { participantId: b.participantId, symbol: b.symbol, quantity: b.quantity, verificationRef: b.verificationRef, sourceProject: b.sourceProject },
    },
  ]);
  return row!;
}

/** Registered lots in order, of one holder when named. */
export function listLots(db: Knex | Knex.Transaction, participantId?: string): Promise<LotRow[]> {
  const q = db('lots').orderBy('id');
  if (participantId) q.where({ participant_id: participantId });
  return q.select<LotRow[]>('*');
}
