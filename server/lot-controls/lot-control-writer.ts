import type { Knex } from 'knex';
import { dec, type Dec } from '../shared/decimal.ts';
import { postTransfer, systemAccountId } from '../ledger/journal.ts';
import { recordMovements } from '../registry/lot-holdings.ts';
import type { LotControlWrite } from '../engine/batch-context.ts';
import { lotAlertKey } from './lot-control-alerts.ts';

// The rows a batch's lot controls leave, in the batch's transaction: the freeze and its pieces,
// its closing, or the revocation with its journal transfer, lineage and flag, and for each the
// regulators' alert. The engine decided on the pieces the registry showed when the command was
// made; the holdings are locked here and must still be those pieces, or the batch fails and
// nothing of it is written (settlement moved a piece in between: the caller asks again).

const REASONS: Record<string, string> = { dispute: '争议 dispute', court_order: '司法冻结 court order', pledge: '质押 pledge' };

/** Fails the batch unless the lot's holdings (locked here) are exactly these pieces. */
async function assertPieces(trx: Knex.Transaction, lotId: string, pieces: Array<{ participantId: string; quantity: Dec }>): Promise<void> {
  const rows = await trx('lot_holdings').where({ lot_id: lotId }).where('quantity', '>', 0).orderBy('id').forUpdate().select<Array<{ participant_id: string; quantity: string }>>('participant_id', 'quantity');
  const want = new Map(pieces.map((p) => [String(p.participantId), p.quantity]));
  const same = rows.length === want.size && rows.every((r) => want.get(String(r.participant_id))?.eq(dec(r.quantity)));
  if (!same) throw new Error(`lot ${lotId}: its holdings changed while the lot control was decided; nothing was written`);
}

async function insertAlert(trx: Knex.Transaction, alert: { rule: string; severity: string; symbol: string; participantIds: string[]; message: string; details: Record<string, unknown>; key: string; at: Date }): Promise<void> {
  await trx('alerts').insert({
    rule: alert.rule,
    severity: alert.severity,
    symbol: alert.symbol,
    participant_ids: alert.participantIds,
    message: alert.message,
    details: JSON.stringify(alert.details),
    dedupe_key: alert.key,
    status: 'open',
    created_at: alert.at,
  });
}

async function lotFacts(trx: Knex.Transaction, lotId: string): Promise<{ symbol: string; verification_ref: string; quantity: string }> {
  return (await trx('lots').where({ id: lotId }).first<{ symbol: string; verification_ref: string; quantity: string }>('symbol', 'verification_ref', 'quantity'))!;
}

export async function writeLotControls(trx: Knex.Transaction, controls: LotControlWrite[], at: Date): Promise<void> {
  for (const control of controls) {
    if (control.kind === 'freeze') await writeFreeze(trx, control, at);
    else if (control.kind === 'unfreeze') await writeUnfreeze(trx, control, at);
    else await writeRevocation(trx, control, at);
  }
}

async function writeFreeze(trx: Knex.Transaction, w: Extract<LotControlWrite, { kind: 'freeze' }>, at: Date): Promise<void> {
  const c = w.command;
  await assertPieces(trx, c.lotId, w.pieces);
  await trx('lot_freezes').insert({ id: w.freezeId, lot_id: c.lotId, reason: c.reason, note: c.note, opened_by: c.actor.userId, opened_at: at });
  if (w.pieces.length > 0) {
    await trx('lot_freeze_pieces').insert(w.pieces.map((p) => ({ freeze_id: w.freezeId, participant_id: p.participantId, quantity: p.quantity.toString(), reservation_id: p.reservationId })));
  }
  const lot = await lotFacts(trx, c.lotId);
  const pieces = w.pieces.map((p) => ({ participantId: p.participantId, quantity: p.quantity.toString() }));
  await insertAlert(trx, {
    rule: 'lot_frozen',
    severity: 'warning',
    symbol: lot.symbol,
    participantIds: pieces.map((p) => p.participantId),
    message: `lot ${lot.verification_ref} frozen (${REASONS[c.reason]}) by ${c.actor.username}: ${c.note}`,
    details: { lotId: c.lotId, verificationRef: lot.verification_ref, freezeId: w.freezeId, reason: c.reason, note: c.note, by: c.actor.username, pieces },
    key: lotAlertKey('freeze', w.freezeId),
    at,
  });
}

async function writeUnfreeze(trx: Knex.Transaction, w: Extract<LotControlWrite, { kind: 'unfreeze' }>, at: Date): Promise<void> {
  const c = w.command;
  await assertPieces(trx, c.lotId, w.pieces);
  const closed = await trx('lot_freezes').where({ id: w.freezeId }).whereNull('closed_at').update({ closed_at: at, closed_by: c.actor.userId, close_note: c.note });
  if (closed !== 1) throw new Error(`freeze ${w.freezeId} is not open`);
  const lot = await lotFacts(trx, c.lotId);
  const pieces = w.pieces.map((p) => ({ participantId: p.participantId, quantity: p.quantity.toString() }));
  await insertAlert(trx, {
    rule: 'lot_unfrozen',
    severity: 'info',
    symbol: lot.symbol,
    participantIds: pieces.map((p) => p.participantId),
    message: `lot ${lot.verification_ref} unfrozen by ${c.actor.username}: ${c.note}`,
    details: { lotId: c.lotId, verificationRef: lot.verification_ref, freezeId: w.freezeId, note: c.note, by: c.actor.username, pieces },
    key: lotAlertKey('unfreeze', w.freezeId),
    at,
  });
}

/** What had left the registrant: pieces others hold now, and what others used or retired. */
async function onwardOf(trx: Knex.Transaction, lotId: string, holderId: string): Promise<Array<{ participantId: string; name: string; status: 'held' | 'used' | 'retired'; quantity: string }>> {
  const { rows } = await trx.raw<{ rows: Array<{ participant_id: string; name: string; status: 'held' | 'used' | 'retired'; quantity: string }> }>(
    `SELECT x.participant_id, p.name, x.status, x.quantity::text AS quantity FROM (
       SELECT participant_id, 'held' AS status, quantity FROM lot_holdings WHERE lot_id = ? AND participant_id <> ? AND quantity > 0
       UNION ALL
       SELECT from_participant_id, CASE kind WHEN 'use' THEN 'used' ELSE 'retired' END, sum(quantity) FROM lot_movements
        WHERE lot_id = ? AND kind IN ('use', 'retire') AND from_participant_id <> ? GROUP BY 1, 2
     ) x JOIN participants p ON p.id = x.participant_id ORDER BY x.participant_id, x.status`,
    [lotId, holderId, lotId, holderId],
  );
  return rows.map((r) => ({ participantId: String(r.participant_id), name: r.name, status: r.status, quantity: r.quantity }));
}

async function writeRevocation(trx: Knex.Transaction, w: Extract<LotControlWrite, { kind: 'revoke' }>, at: Date): Promise<void> {
  const c = w.command;
  const held = await trx('lot_holdings').where({ lot_id: c.lotId, participant_id: c.holderId }).forUpdate().first<{ quantity: string } | undefined>('quantity');
  if (!dec(held?.quantity ?? '0').eq(c.quantity)) throw new Error(`lot ${c.lotId}: the registrant's holding changed while the revocation was decided; nothing was written`);
  let transferId: string | null = null;
  if (c.quantity.gt(0)) {
    // The batch statement has already taken the quantity off the holder's available balance.
    const account = await trx('accounts').where({ participant_id: c.holderId, asset: c.symbol }).first<{ id: string }>('id');
    const issuance = await systemAccountId(trx, 'issuance', c.symbol);
    transferId = await postTransfer(trx, { kind: 'lot_revocation', reference: `lot-revocation:${w.revocationId}` }, [
      { accountId: account!.id, asset: c.symbol, amount: c.quantity.neg() },
      { accountId: issuance, asset: c.symbol, amount: c.quantity },
    ]);
    await trx('accounts').where({ id: issuance }).update({ available: trx.raw('available + ?::numeric', [c.quantity.toString()]) });
    await trx('lot_holdings').where({ lot_id: c.lotId, participant_id: c.holderId }).update({ quantity: trx.raw('quantity - ?::numeric', [c.quantity.toString()]) });
    await recordMovements(trx, [{ lotId: c.lotId, quantity: c.quantity }], { kind: 'revoke', fromParticipantId: c.holderId, toParticipantId: null });
  }
  await trx('lot_revocations').insert({ id: w.revocationId, lot_id: c.lotId, holder_id: c.holderId, removed_quantity: c.quantity.toString(), transfer_id: transferId, reason: c.reason, revoked_by: c.actor.userId, revoked_at: at });
  const onward = await onwardOf(trx, c.lotId, c.holderId);
  if (onward.length > 0) {
    await trx('lot_revocation_onward').insert(onward.map((o) => ({ revocation_id: w.revocationId, participant_id: o.participantId, status: o.status, quantity: o.quantity })));
  }
  const lot = await lotFacts(trx, c.lotId);
  await insertAlert(trx, {
    rule: 'lot_revoked',
    severity: 'critical',
    symbol: lot.symbol,
    participantIds: [...new Set([String(c.holderId), ...onward.map((o) => o.participantId)])],
    message: `lot ${lot.verification_ref} revoked by ${c.actor.username}: ${c.quantity.toString()} removed from the registrant; ${onward.length === 0 ? 'nothing had been sold onward' : `sold onward to ${onward.map((o) => `${o.name} ${o.quantity} (${o.status})`).join(', ')}`}. Reason: ${c.reason}`,
    details: { lotId: c.lotId, verificationRef: lot.verification_ref, revocationId: w.revocationId, reason: c.reason, by: c.actor.username, holderId: String(c.holderId), removed: c.quantity.toString(), onward },
    key: lotAlertKey('revoke', w.revocationId),
    at,
  });
}
