import type { Knex } from 'knex';
import { money } from '../shared/decimal.ts';
import type { DepositHistoryQuery, DepositRecord } from '../../contract/staff-admin.ts';

// Deposits as the journal recorded them: the transfer, the participant's credit posting and its
// bank reference. Who confirmed it is in the audit entry the same transaction wrote.

interface DepositRow {
  transfer_id: string;
  participant_id: string;
  participant: string;
  amount: string;
  reference: string;
  confirmed_by: string | null;
  created_at: Date;
}

const BANK_REFERENCE_PREFIX = 'deposit:';

export async function depositHistory(db: Knex | Knex.Transaction, query: DepositHistoryQuery): Promise<DepositRecord[]> {
  const rows = db('journal_transfers as j')
    .join('postings as p', 'p.transfer_id', 'j.id')
    .join('accounts as a', 'a.id', 'p.account_id')
    .join('participants as pt', 'pt.id', 'a.participant_id')
    .where('j.kind', 'deposit')
    .andWhere('p.amount', '>', 0)
    .whereNot('pt.kind', 'platform')
    .orderBy('j.id', 'desc')
    .limit(query.limit)
    .select<DepositRow[]>(
      'j.id as transfer_id',
      'pt.id as participant_id',
      'pt.name as participant',
      'p.amount',
      'j.reference',
      'j.created_at',
      db.raw(
        `(SELECT l.actor FROM audit_log l WHERE l.action = 'cash.deposit' AND l.subject = 'participant:' || pt.id AND l.payload->>'transferId' = j.id::text LIMIT 1) AS confirmed_by`,
      ),
    );
  if (query.participantId) rows.andWhere('pt.id', query.participantId);
  return (await rows).map((r) => ({
    transferId: r.transfer_id,
    participantId: r.participant_id,
    participant: r.participant,
    amount: money(r.amount),
    reference: r.reference.startsWith(BANK_REFERENCE_PREFIX) ? r.reference.slice(BANK_REFERENCE_PREFIX.length) : r.reference,
    confirmedBy: r.confirmed_by,
    confirmedAt: r.created_at.toISOString(),
  }));
}
