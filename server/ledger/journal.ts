import type { Knex } from 'knex';
import type { Dec } from '../shared/decimal.ts';

export interface PostingLine {
  accountId: string;
  asset: string;
  /** Signed: positive credits the holder's balance, negative debits it. */
  amount: Dec;
}

export interface TransferHeader {
  kind: 'deposit' | 'lot_registration' | 'settlement' | 'withdrawal' | 'use' | 'retirement' | 'lot_revocation';
  reference: string;
  tradeId?: string | null;
}

/**
 * Records one double-entry journal transfer. Its postings go in with a single INSERT, which the
 * database refuses unless they sum to zero for every asset.
 */
export async function postTransfer(trx: Knex.Transaction, header: TransferHeader, lines: PostingLine[]): Promise<string> {
  const [transfer] = await trx('journal_transfers')
    .insert({ kind: header.kind, reference: header.reference, trade_id: header.tradeId ?? null })
    .returning<Array<{ id: string }>>('id');
  const postings = lines
    .filter((l) => !l.amount.isZero())
    .map((l) => ({ transfer_id: transfer!.id, account_id: l.accountId, asset: l.asset, amount: l.amount.toString() }));
  if (postings.length > 0) await trx('postings').insert(postings);
  return transfer!.id;
}

/**
 * Posts a transfer whose lines all move available balances (deposits, lot registration) and
 * applies it to the accounts in the same transaction.
 */
export async function moveAvailable(trx: Knex.Transaction, header: TransferHeader, lines: PostingLine[]): Promise<string> {
  const transferId = await postTransfer(trx, header, lines);
  for (const line of [...lines].sort((a, b) => Number(a.accountId) - Number(b.accountId))) {
    await trx('accounts').where({ id: line.accountId }).update({ available: trx.raw('available + ?::numeric', [line.amount.toString()]) });
  }
  return transferId;
}

/** Finds or creates the system account that is the other side of issuance or bank movements. */
export async function systemAccountId(trx: Knex.Transaction, role: 'bank' | 'issuance' | 'fees' | 'used' | 'retired', asset: string): Promise<string> {
  await trx.raw(`INSERT INTO accounts (system_role, asset) VALUES (?, ?) ON CONFLICT (system_role, asset) DO NOTHING`, [role, asset]);
  const row = await trx('accounts').where({ system_role: role, asset }).first<{ id: string }>('id');
  return row!.id;
}

/** Finds or creates a participant's account for an asset and locks it for this transaction. */
export async function participantAccountForUpdate(trx: Knex.Transaction, participantId: string, asset: string): Promise<string> {
  await trx.raw(`INSERT INTO accounts (participant_id, asset) VALUES (?, ?) ON CONFLICT (participant_id, asset) DO NOTHING`, [participantId, asset]);
  const row = await trx('accounts').where({ participant_id: participantId, asset }).forUpdate().first<{ id: string }>('id');
  return row!.id;
}
