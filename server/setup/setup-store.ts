import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

// SQL of the first-operator setup. Tokens are kept as SHA-256 only: the plain token exists in
// the start-up output and nowhere else.

export const hashSetupToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export async function operatorExists(knex: Knex | Knex.Transaction): Promise<boolean> {
  return Boolean(await knex('users').where({ role: 'operator' }).first('id'));
}

export async function storeSetupToken(knex: Knex, token: string, ttlMinutes: number): Promise<Date> {
  const [row] = await knex('setup_tokens')
    .insert({ token_hash: hashSetupToken(token), expires_at: knex.raw(`now() + make_interval(mins => ?)`, [ttlMinutes]) })
    .returning<Array<{ expires_at: Date }>>('expires_at');
  return row!.expires_at;
}

/**
 * Spends a valid token: the row lock of this UPDATE makes a parallel second use wait and then
 * find it spent. Returns the token's id, or null when it is unknown, spent or expired.
 */
export async function spendSetupToken(trx: Knex.Transaction, token: string): Promise<string | null> {
  const [row] = await trx('setup_tokens')
    .where({ token_hash: hashSetupToken(token) })
    .whereNull('used_at')
    .where('expires_at', '>', trx.fn.now())
    .update({ used_at: trx.fn.now() })
    .returning<Array<{ id: string }>>('id');
  return row?.id ?? null;
}

export async function recordTokenUser(trx: Knex.Transaction, tokenId: string, userId: string): Promise<void> {
  await trx('setup_tokens').where({ id: tokenId }).update({ used_by_user_id: userId });
}

/** The once-only step: the primary key refuses a second first operator, however it arrives. */
export async function claimFirstOperator(trx: Knex.Transaction, username: string, via: 'setup_token' | 'environment'): Promise<void> {
  await trx('platform_settings').insert({ key: 'first_operator', value: JSON.stringify({ username, via, at: new Date().toISOString() }) });
}
