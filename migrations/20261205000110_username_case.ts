import type { Knex } from 'knex';

// A username names one person whatever its case: `Operator` beside `operator` is a look-alike
// account a phishing message can point at. The unique index on lower(username) refuses it on
// every path that creates users, inside the creating transaction.
//
// Accounts that already differ only in case are not renamed (their owners sign in with those
// names): the later ones stay outside the index, the oldest is covered and blocks any new one.
// Sign-in prefers the exact spelling, so each of them still reaches its own account.
export async function up(knex: Knex): Promise<void> {
  const { rows } = await knex.raw<{ rows: Array<{ id: string }> }>(`
    SELECT id::text FROM (
      SELECT id, row_number() OVER (PARTITION BY lower(username) ORDER BY id) AS n FROM users
    ) ranked WHERE n > 1 ORDER BY id`);
  const legacy = rows.map((r) => BigInt(r.id).toString());
  const exempt = legacy.length > 0 ? ` WHERE id NOT IN (${legacy.join(', ')})` : '';
  await knex.raw(`CREATE UNIQUE INDEX users_username_lower ON users (lower(username))${exempt}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS users_username_lower`);
}
