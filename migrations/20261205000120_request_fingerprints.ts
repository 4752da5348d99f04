import type { Knex } from 'knex';

// An idempotency key (an order's clientOrderId, a registry action's requestId) stands for one
// request. The row it created keeps a fingerprint of that request's terms, written in the same
// statement as the row, so a retry with the key can be told apart from a reuse with other terms
// on any node and after any restart. Rows from before have none and replay as they always did.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE orders ADD COLUMN request_fingerprint text`);
  await knex.raw(`ALTER TABLE registry_actions ADD COLUMN request_fingerprint text`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE registry_actions DROP COLUMN IF EXISTS request_fingerprint`);
  await knex.raw(`ALTER TABLE orders DROP COLUMN IF EXISTS request_fingerprint`);
}
