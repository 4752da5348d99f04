import type { Knex } from 'knex';
import { appendAudit, type AuditEntry } from '../audit/audit-log.ts';
import { conflict, notFound } from '../errors.ts';

// Settlement state as the routes read it, and the operator's replay of a dead letter.

export interface DeadLetterRow {
  id: string;
  symbol: string;
  amount: string;
  buyer: string;
  seller: string;
  executed_at: Date;
  failed_at: Date | null;
  failure_reason: string | null;
}

export interface SettlementStatusRow {
  id: string;
  status: 'pending' | 'settled' | 'failed';
  buyer_id: string;
  seller_id: string;
  settled_at: Date | null;
  certificate_no: string | null;
}

/** Trades whose settlement failed for good, oldest first. */
export async function deadLetters(db: Knex | Knex.Transaction): Promise<DeadLetterRow[]> {
  return db('trades as t')
    .join('participants as b', 'b.id', 't.buyer_id')
    .join('participants as s', 's.id', 't.seller_id')
    .where('t.status', 'failed')
    .orderBy('t.id')
    .select<DeadLetterRow[]>('t.id', 't.symbol', 't.amount', 'b.name as buyer', 's.name as seller', 't.executed_at', 't.failed_at', 't.failure_reason');
}

export async function settlementStatus(db: Knex | Knex.Transaction, tradeId: string): Promise<SettlementStatusRow | undefined> {
  return db('trades as t')
    .leftJoin('settlements as s', 's.trade_id', 't.id')
    .where('t.id', tradeId)
    .first<SettlementStatusRow | undefined>('t.id', 't.status', 't.buyer_id', 't.seller_id', 's.settled_at', 's.certificate_no');
}

/**
 * Puts a failed trade back to pending with a fresh outbox row, audited, in one transaction. The
 * trade row is locked first so two replays cannot both see it failed.
 */
export async function reopenDeadLetter(knex: Knex, tradeId: string, audit: (previousFailure: string | null) => AuditEntry): Promise<void> {
  await knex.transaction(async (trx) => {
    const trade = await trx('trades').where({ id: tradeId }).forUpdate().first<{ status: string; failure_reason: string | null } | undefined>('status', 'failure_reason');
    if (!trade) throw notFound('TRADE_NOT_FOUND', `no trade ${tradeId}`);
    if (trade.status !== 'failed') throw conflict('NOT_DEAD_LETTER', `trade ${tradeId} is ${trade.status}, not failed`);
    await trx('trades').where({ id: tradeId }).update({ status: 'pending', failure_reason: null, failed_at: null });
    await trx('settlement_outbox').insert({ trade_id: tradeId }).onConflict('trade_id').merge({ enqueued_at: null });
    await appendAudit(trx, [audit(trade.failure_reason)]);
  });
}
