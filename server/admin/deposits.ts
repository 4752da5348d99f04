import type { Knex } from 'knex';
import { conflict, notFound, unprocessable } from '../errors.ts';
import { dec, money } from '../shared/decimal.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { moveAvailable, participantAccountForUpdate, systemAccountId } from '../ledger/journal.ts';
import { CASH } from '../engine/batch.ts';
import { isUniqueViolation } from '../shared/unique-violation.ts';
import { ensureUnderDepositCap } from './deposit-cap.ts';

// A deposit confirms money received at the settlement bank. Its bank reference names one bank
// transfer, so it credits once whoever it is for: the journal's unique key
// journal_transfers_external_reference decides, inside the crediting transaction. A repeat —
// retried callback, double click, ten at once — is answered 409 DUPLICATE_DEPOSIT rather than
// replayed, so an operator who typed a wrong participant or amount learns it instead of being
// told "done".

export interface DepositRequest {
  participantId: string;
  amount: string;
  reference: string;
}

export interface DepositReceipt {
  transferId: string;
  participantId: string;
  amount: string;
  available: string;
}

const journalReference = (bankReference: string) => `deposit:${bankReference}`;

export async function confirmDeposit(knex: Knex, actor: { id: string; username: string }, request: DepositRequest): Promise<DepositReceipt> {
  const { participantId, reference } = request;
  const amount = dec(request.amount);
  if (amount.lte(0) || !amount.mul(100).isInteger()) throw unprocessable('INVALID_AMOUNT', 'a deposit is a positive amount in whole fen');
  try {
    return await knex.transaction(async (trx) => {
      // FOR SHARE: a suspension committing meanwhile waits for this deposit, or this one sees it.
      const participant = await trx('participants').where({ id: participantId }).forShare().first<{ kind: string; status: string } | undefined>('kind', 'status');
      if (!participant || participant.kind === 'platform') throw notFound('PARTICIPANT_NOT_FOUND', `no participant ${participantId}`);
      if (participant.status === 'suspended') throw conflict('PARTICIPANT_SUSPENDED', `participant ${participantId} is suspended; reinstate it before crediting a deposit`);
      await ensureUnderDepositCap(trx, money(amount));
      const bank = await systemAccountId(trx, 'bank', CASH);
      const account = await participantAccountForUpdate(trx, participantId, CASH);
      const transferId = await moveAvailable(trx, { kind: 'deposit', reference: journalReference(reference) }, [
        { accountId: bank, asset: CASH, amount: amount.neg() },
        { accountId: account, asset: CASH, amount },
      ]);
      const updated = await trx('accounts').where({ id: account }).first<{ available: string }>('available');
      await appendAudit(trx, [
        { actorUserId: actor.id, actor: actor.username, action: 'cash.deposit', subject: `participant:${participantId}`, payload: { amount: money(amount), reference, transferId } },
      ]);
      return { transferId, participantId, amount: money(amount), available: money(updated!.available) };
    });
  } catch (error) {
    if (!isUniqueViolation(error, 'journal_transfers_external_reference')) throw error;
    const first = await knex('journal_transfers').where({ kind: 'deposit', reference: journalReference(reference) }).first<{ id: string } | undefined>('id');
    throw conflict('DUPLICATE_DEPOSIT', `deposit ${reference} was already confirmed${first ? ` (journal transfer ${first.id})` : ''}; nothing was credited`);
  }
}
