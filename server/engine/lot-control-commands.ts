import { conflict } from '../errors.ts';
import type { Dec } from '../shared/decimal.ts';
import type { Accepted, FreezeLotCommand, RevokeLotCommand, UnfreezeLotCommand } from './commands.ts';
import type { BatchContext, LotControlState } from './batch-context.ts';
import { LOT_FREEZE } from './reservation.ts';

// Freezes, unfreezes and revocations of lots. They run through the engine host because they lock
// or take available quantity, which only the engine decreases; the engine's lot states make a
// second freeze or revocation of the same lot a refusal in arrival order, and PostgreSQL's unique
// keys (lot_freezes_one_open, lot_revocations.lot_id) enforce the same again.

const stateOf = (batch: BatchContext, lotId: string): LotControlState => batch.state.lots.get(lotId) ?? { frozen: null, revoked: false };

const refuseRevoked = (state: LotControlState, lotId: string) => {
  if (state.revoked) throw conflict('LOT_REVOKED', `lot ${lotId} is revoked`);
};

/** A holder's piece cannot be locked: part of it is committed to orders, listings, block trades or a pending settlement. */
const inUse = (lotId: string, participantId: string, quantity: Dec, available: Dec) =>
  conflict(
    'LOT_IN_USE',
    `holder ${participantId} holds ${quantity.toString()} of lot ${lotId} but only ${available.toString()} is available: cancel or withdraw its open orders, listings and block trades (or wait for settlement) first`,
    { participantId, lotQuantity: quantity.toString(), availableQuantity: available.toString() },
  );

export function freezeLot(batch: BatchContext, c: FreezeLotCommand): Accepted<FreezeLotCommand> {
  const state = stateOf(batch, c.lotId);
  refuseRevoked(state, c.lotId);
  if (state.frozen) throw conflict('LOT_ALREADY_FROZEN', `lot ${c.lotId} is already frozen`);
  batch.spec(c.symbol);
  // Every piece is checked before any is locked: a refusal must leave the batch unchanged.
  for (const p of c.pieces) {
    const available = batch.holds.availableFor(p.participantId, c.symbol, p.quantity);
    if (available.lt(p.quantity)) throw inUse(c.lotId, p.participantId, p.quantity, available);
  }
  const freezeId = String(batch.state.ids.take());
  const pieces = c.pieces.map((p) => {
    const r = batch.holds.reserve(p.participantId, c.symbol, p.quantity, LOT_FREEZE, `lot-freeze:${freezeId}`, (available) => inUse(c.lotId, p.participantId, p.quantity, available));
    return { participantId: p.participantId, quantity: p.quantity, reservationId: r.id };
  });
  batch.state.lots.set(c.lotId, { frozen: { freezeId, reservationIds: pieces.map((p) => p.reservationId) }, revoked: false });
  batch.lotControls.push({ kind: 'freeze', command: c, freezeId, pieces });
  const view = { lotId: c.lotId, id: freezeId, pieces: pieces.map((p) => ({ participantId: p.participantId, quantity: p.quantity.toString() })) };
  batch.audit(c.actor, 'lot.freeze', `lot:${c.lotId}`, { freezeId, symbol: c.symbol, reason: c.reason, note: c.note, pieces: view.pieces });
  return { ok: true, control: view };
}

export function unfreezeLot(batch: BatchContext, c: UnfreezeLotCommand): Accepted<UnfreezeLotCommand> {
  const state = stateOf(batch, c.lotId);
  refuseRevoked(state, c.lotId);
  if (!state.frozen) throw conflict('LOT_NOT_FROZEN', `lot ${c.lotId} is not frozen`);
  const { freezeId, reservationIds } = state.frozen;
  const pieces = reservationIds.map((id) => {
    const r = batch.holds.active(id);
    const quantity = r.amount;
    batch.holds.shrink(r, quantity, quantity, 'released');
    return { participantId: r.participantId, quantity };
  });
  batch.state.lots.delete(c.lotId);
  batch.lotControls.push({ kind: 'unfreeze', command: c, freezeId, pieces });
  const view = { lotId: c.lotId, id: freezeId, pieces: pieces.map((p) => ({ participantId: p.participantId, quantity: p.quantity.toString() })) };
  batch.audit(c.actor, 'lot.unfreeze', `lot:${c.lotId}`, { freezeId, note: c.note, pieces: view.pieces });
  return { ok: true, control: view };
}

/**
 * A frozen lot is refused (LOT_FROZEN): the freeze is another authority's hold on every piece,
 * and revoking must not quietly lift it for the other holders; it is lifted first, on the record.
 */
export function revokeLot(batch: BatchContext, c: RevokeLotCommand): Accepted<RevokeLotCommand> {
  const state = stateOf(batch, c.lotId);
  refuseRevoked(state, c.lotId);
  if (state.frozen) throw conflict('LOT_FROZEN', `lot ${c.lotId} is frozen: lift the freeze before revoking it`);
  batch.spec(c.symbol);
  if (c.quantity.gt(0)) batch.holds.take(c.holderId, c.symbol, c.quantity, (available) => inUse(c.lotId, c.holderId, c.quantity, available));
  const revocationId = String(batch.state.ids.take());
  batch.state.lots.set(c.lotId, { frozen: null, revoked: true });
  batch.lotControls.push({ kind: 'revoke', command: c, revocationId });
  const view = { lotId: c.lotId, id: revocationId, pieces: c.quantity.gt(0) ? [{ participantId: c.holderId, quantity: c.quantity.toString() }] : [] };
  batch.audit(c.actor, 'lot.revoke', `lot:${c.lotId}`, { revocationId, symbol: c.symbol, reason: c.reason, removed: view.pieces });
  return { ok: true, control: view };
}
