import type { Knex } from 'knex';
import { dec, type Dec } from '../shared/decimal.ts';
import { CASH } from '../engine/batch.ts';
import { postTransfer, type PostingLine } from '../ledger/journal.ts';
import { giveLots, recordMovements, takeFifo } from '../registry/lot-holdings.ts';

export interface TradeRow {
  id: string;
  symbol: string;
  price: string;
  quantity: string;
  amount: string;
  buyer_fee: string;
  seller_fee: string;
  buyer_id: string;
  seller_id: string;
  status: 'pending' | 'settled' | 'failed';
  executed_at: Date;
}

export type SettleResult =
  | { outcome: 'settled'; trade: TradeRow; certificateNo: string; settledAt: Date }
  | { outcome: 'already_settled'; trade: TradeRow }
  | { outcome: 'unknown_trade' };

export function certificateNumber(trade: Pick<TradeRow, 'id' | 'executed_at'>): string {
  const d = trade.executed_at;
  const ymd = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `ERX-${ymd}-${trade.id.padStart(10, '0')}`;
}

interface Movement {
  participantId: string | null;
  systemRole: string | null;
  asset: string;
  available: Dec;
  locked: Dec;
}

/**
 * Delivery versus payment for one trade, in one transaction: the buyer's locked cash pays the
 * seller (less fees, which go to the platform), and the seller's locked quantity goes to the
 * buyer. Runs at least once (BullMQ) and takes effect once: the trade row is locked and the
 * settlements primary key refuses a second settlement of the same trade.
 */
export async function settleTrade(knex: Knex, tradeId: string): Promise<SettleResult> {
  return knex.transaction(async (trx) => {
    const trade = await trx('trades').where({ id: tradeId }).forUpdate().first<TradeRow | undefined>();
    if (!trade) return { outcome: 'unknown_trade' as const };
    if (trade.status === 'settled') return { outcome: 'already_settled' as const, trade };

    const amount = dec(trade.amount);
    const buyerFee = dec(trade.buyer_fee);
    const sellerFee = dec(trade.seller_fee);
    const quantity = dec(trade.quantity);
    const fees = buyerFee.add(sellerFee);
    const movements: Movement[] = [
      { participantId: trade.buyer_id, systemRole: null, asset: CASH, available: dec(0), locked: amount.add(buyerFee).neg() },
      { participantId: trade.seller_id, systemRole: null, asset: CASH, available: amount.sub(sellerFee), locked: dec(0) },
      { participantId: trade.seller_id, systemRole: null, asset: trade.symbol, available: dec(0), locked: quantity.neg() },
      { participantId: trade.buyer_id, systemRole: null, asset: trade.symbol, available: quantity, locked: dec(0) },
    ];
    if (!fees.isZero()) movements.push({ participantId: null, systemRole: 'fees', asset: CASH, available: fees, locked: dec(0) });

    // The buyer may not hold this indicator yet.
    await trx.raw(`INSERT INTO accounts (participant_id, asset) VALUES (?, ?) ON CONFLICT (participant_id, asset) DO NOTHING`, [trade.buyer_id, trade.symbol]);
    await trx.raw(`INSERT INTO accounts (system_role, asset) VALUES ('fees', ?) ON CONFLICT (system_role, asset) DO NOTHING`, [CASH]);

    const accounts = await lockAccounts(trx, movements);
    const lines: PostingLine[] = [];
    for (const m of movements) {
      const accountId = accounts.get(keyOf(m))!;
      const updated = await trx.raw<{ rowCount: number }>(
        `UPDATE accounts SET available = available + ?::numeric, locked = locked + ?::numeric WHERE id = ?`,
        [m.available.toString(), m.locked.toString(), accountId],
      );
      if (updated.rowCount !== 1) throw new Error(`account ${accountId} vanished during settlement`);
      const total = m.available.add(m.locked);
      if (!total.isZero()) lines.push({ accountId, asset: m.asset, amount: total });
    }
    const transferId = await postTransfer(trx, { kind: 'settlement', reference: `trade:${trade.id}`, tradeId: trade.id }, lines);
    // Delivery carries provenance: the seller's oldest lots go first, split where needed.
    const pieces = await takeFifo(trx, trade.seller_id, trade.symbol, quantity);
    await giveLots(trx, trade.buyer_id, trade.symbol, pieces);
    await recordMovements(trx, pieces, { kind: 'trade', fromParticipantId: trade.seller_id, toParticipantId: trade.buyer_id, tradeId: trade.id });
    const certificateNo = certificateNumber(trade);
    const [settlement] = await trx('settlements')
      .insert({ trade_id: trade.id, transfer_id: transferId, certificate_no: certificateNo })
      .returning<Array<{ settled_at: Date }>>(['settled_at']);
    await trx('trades').where({ id: trade.id }).update({ status: 'settled' });
    await trx('settlement_outbox').where({ trade_id: trade.id }).delete();
    return { outcome: 'settled' as const, trade: { ...trade, status: 'settled' as const }, certificateNo, settledAt: settlement!.settled_at };
  });
}

const keyOf = (m: Pick<Movement, 'participantId' | 'systemRole' | 'asset'>) => `${m.participantId ?? `sys:${m.systemRole}`}|${m.asset}`;

/** Locks every account the trade touches in id order, the order the engine uses too. */
async function lockAccounts(trx: Knex.Transaction, movements: Movement[]): Promise<Map<string, string>> {
  const rows = await trx.raw<{ rows: Array<{ id: string; participant_id: string | null; system_role: string | null; asset: string }> }>(
    `SELECT id, participant_id, system_role, asset FROM accounts
      WHERE ${movements.map(() => '((participant_id = ? OR system_role = ?) AND asset = ?)').join(' OR ')}
      ORDER BY id FOR UPDATE`,
    movements.flatMap((m) => [m.participantId ?? null, m.systemRole ?? null, m.asset]),
  );
  const out = new Map<string, string>();
  for (const r of rows.rows) out.set(keyOf({ participantId: r.participant_id, systemRole: r.system_role, asset: r.asset }), r.id);
  for (const m of movements) if (!out.has(keyOf(m))) throw new Error(`no account for ${keyOf(m)}`);
  return out;
}
