import type { Knex } from 'knex';
import { unprocessable } from '../errors.ts';
import { dec, money } from '../shared/decimal.ts';
import { appendAudit } from '../audit/audit-log.ts';

// The largest single deposit an operator may confirm, set by an operator: a mistyped amount
// (an extra zero) or a forged bank notice cannot credit more than it. Kept in platform_settings
// so every node applies the same figure; no row means no cap.

const KEY = 'deposit_cap';

type Db = Knex | Knex.Transaction;

/** The cap as a CNY amount ("5000000.00"), or null when none is set. */
export async function depositCap(db: Db): Promise<string | null> {
  const row = await db('platform_settings').where({ key: KEY }).first<{ value: string } | undefined>('value');
  return row ? money(row.value) : null;
}

/**
 * Inside a deposit's transaction: refuses an amount above the cap. FOR SHARE makes a cap being
 * changed at this moment either apply to this deposit or wait for it.
 */
export async function ensureUnderDepositCap(trx: Knex.Transaction, amount: string): Promise<void> {
  const row = await trx('platform_settings').where({ key: KEY }).forShare().first<{ value: string } | undefined>('value');
  if (row && dec(amount).gt(row.value)) {
    throw unprocessable('DEPOSIT_OVER_CAP', `a single deposit may credit at most ${money(row.value)} CNY (operator setting); ${money(amount)} was refused`, { cap: money(row.value), amount: money(amount) });
  }
}

export async function setDepositCap(knex: Knex, actor: { id: string; username: string }, cap: string | null): Promise<string | null> {
  if (cap !== null) {
    const amount = dec(cap);
    if (amount.lte(0) || !amount.mul(100).isInteger()) throw unprocessable('INVALID_AMOUNT', 'a deposit cap is a positive amount in whole fen');
  }
  return knex.transaction(async (trx) => {
    const before = await depositCap(trx);
    const after = cap === null ? null : money(cap);
    // PUT is idempotent: setting the cap it already has changes nothing and audits nothing.
    if (before === after) return after;
    if (cap === null) await trx('platform_settings').where({ key: KEY }).delete();
    else await trx('platform_settings').insert({ key: KEY, value: money(cap) }).onConflict('key').merge();
    await appendAudit(trx, [{ actorUserId: actor.id, actor: actor.username, action: 'deposit.cap', subject: 'platform:deposit_cap', payload: { from: before, to: after } }]);
    return after;
  });
}
