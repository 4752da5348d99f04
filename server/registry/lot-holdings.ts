import type { Knex } from 'knex';
import { UnrecoverableError } from 'bullmq';
import { Dec, dec, ZERO } from '../shared/decimal.ts';

export interface LotPiece {
  lotId: string;
  quantity: Dec;
}

/**
 * Of these lots, the ones frozen now. Asked after their holdings are locked: a freeze locks the
 * same rows before it commits, so this read sees every freeze that could touch them.
 */
export async function frozenAmong(trx: Knex.Transaction, lotIds: string[]): Promise<Set<string>> {
  if (lotIds.length === 0) return new Set();
  const rows = await trx('lot_freezes').whereIn('lot_id', [...new Set(lotIds)]).whereNull('closed_at').pluck<string[]>('lot_id');
  return new Set(rows.map(String));
}

/**
 * Takes `quantity` of an instrument out of a holder's lots, oldest holding first (FIFO),
 * splitting a lot when needed and passing over frozen lots (their pieces stay where they are).
 * The caller records where the pieces went.
 */
export async function takeFifo(trx: Knex.Transaction, participantId: string, symbol: string, quantity: Dec): Promise<LotPiece[]> {
  const holdings = await trx('lot_holdings')
    .where({ participant_id: participantId, symbol })
    .where('quantity', '>', 0)
    .orderBy([{ column: 'acquired_at' }, { column: 'lot_id' }])
    .forUpdate()
    .select<Array<{ id: string; lot_id: string; quantity: string }>>('id', 'lot_id', 'quantity');
  const frozen = await frozenAmong(trx, holdings.map((h) => h.lot_id));
  const pieces: LotPiece[] = [];
  let left = quantity;
  for (const h of holdings) {
    if (left.lte(0)) break;
    if (frozen.has(String(h.lot_id))) continue;
    const take = Dec.min(left, dec(h.quantity));
    await trx('lot_holdings').where({ id: h.id }).update({ quantity: trx.raw('quantity - ?::numeric', [take.toString()]) });
    pieces.push({ lotId: h.lot_id, quantity: take });
    left = left.sub(take);
  }
  if (left.gt(ZERO)) {
    // Balances and lot holdings disagree: retrying cannot help, a person must look.
    throw new UnrecoverableError(`holder ${participantId} has ${quantity.sub(left).toString()} of ${symbol} in lots but owes ${quantity.toString()}`);
  }
  return pieces;
}

/** Adds pieces to a holder; a piece of a lot it already holds joins that holding. */
export async function giveLots(trx: Knex.Transaction, participantId: string, symbol: string, pieces: LotPiece[]): Promise<void> {
  for (const piece of pieces) {
    await trx.raw(
      `INSERT INTO lot_holdings (lot_id, participant_id, symbol, quantity) VALUES (?, ?, ?, ?::numeric)
       ON CONFLICT (lot_id, participant_id) DO UPDATE SET quantity = lot_holdings.quantity + EXCLUDED.quantity`,
      [piece.lotId, participantId, symbol, piece.quantity.toString()],
    );
  }
}

export interface MovementContext {
  kind: 'issue' | 'trade' | 'use' | 'retire' | 'revoke';
  fromParticipantId: string | null;
  toParticipantId: string | null;
  tradeId?: string | null;
  registryActionId?: string | null;
}

export async function recordMovements(trx: Knex.Transaction, pieces: LotPiece[], ctx: MovementContext): Promise<void> {
  if (pieces.length === 0) return;
  await trx('lot_movements').insert(
    pieces.map((p) => ({
      lot_id: p.lotId,
      kind: ctx.kind,
      from_participant_id: ctx.fromParticipantId,
      to_participant_id: ctx.toParticipantId,
      quantity: p.quantity.toString(),
      trade_id: ctx.tradeId ?? null,
      registry_action_id: ctx.registryActionId ?? null,
    })),
  );
}
