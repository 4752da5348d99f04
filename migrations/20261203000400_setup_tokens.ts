import type { Knex } from 'knex';

// A production database gets its first operator by a one-time setup token printed at start.
// Only a SHA-256 of the token is kept; "used once" is the row lock of the UPDATE that spends
// it (used_at IS NULL in its WHERE), and "one first operator" is the primary key of the
// platform_settings row written in the same transaction.
//
// Demo passwords are published, so a database holds them only when it was created as a demo:
// the demo seeder marks it ('demo_database'). Databases seeded before the mark existed carry
// the seeder's own 'demo_users' row, which only the seeder ever wrote; they are marked here.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('setup_tokens', (t) => {
    t.bigIncrements('id');
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.bigInteger('used_by_user_id').references('users.id');
  });
  await knex.raw(`ALTER TABLE setup_tokens ADD CONSTRAINT setup_tokens_user_only_when_used CHECK (used_by_user_id IS NULL OR used_at IS NOT NULL)`);
  await knex.raw(`
    INSERT INTO platform_settings (key, value)
    SELECT 'demo_database', json_build_object('createdAt', now(), 'users', value::json)::text
      FROM platform_settings WHERE key = 'demo_users'
    ON CONFLICT (key) DO NOTHING`);
  await knex('platform_settings').where({ key: 'demo_users' }).delete();
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    INSERT INTO platform_settings (key, value)
    SELECT 'demo_users', (value::json -> 'users')::text FROM platform_settings WHERE key = 'demo_database'
    ON CONFLICT (key) DO NOTHING`);
  await knex('platform_settings').whereIn('key', ['demo_database', 'first_operator']).delete();
  await knex.schema.dropTable('setup_tokens');
}
