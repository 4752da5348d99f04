import type { Knex } from 'knex';

// Group commit writes a whole batch in one statement, so the checks that used to be separate
// round trips run inside it: ecorights_assert aborts the statement (and with it the batch).
// The audit log becomes several hash chains, one per writer: the engine host owns the 'engine'
// chain and keeps its head in memory; everything else appends to 'main' under an advisory lock.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION ecorights_assert(ok boolean, message text) RETURNS boolean LANGUAGE plpgsql AS $$
    BEGIN
      IF ok IS NOT TRUE THEN RAISE EXCEPTION '%', message USING ERRCODE = 'data_exception'; END IF;
      RETURN true;
    END $$`);

  await knex.raw(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
  await knex.raw(`ALTER TABLE audit_log ADD COLUMN chain text NOT NULL DEFAULT 'main', ADD COLUMN chain_seq bigint`);
  await knex.raw(`UPDATE audit_log SET chain_seq = seq`);
  await knex.raw(`ALTER TABLE audit_log ALTER COLUMN chain_seq SET NOT NULL, ADD CONSTRAINT audit_log_chain_position UNIQUE (chain, chain_seq)`);
  await knex.raw(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
  await knex.raw(`CREATE SEQUENCE audit_log_seq OWNED BY audit_log.seq`);
  await knex.raw(`SELECT setval('audit_log_seq', coalesce((SELECT max(seq) FROM audit_log), 0) + 1, false)`);
  await knex.raw(`ALTER TABLE audit_log ALTER COLUMN seq SET DEFAULT nextval('audit_log_seq')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE audit_log ALTER COLUMN seq DROP DEFAULT`);
  await knex.raw(`DROP SEQUENCE IF EXISTS audit_log_seq`);
  await knex.raw(`ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_chain_position`);
  await knex.raw(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
  await knex.raw(`DELETE FROM audit_log WHERE chain <> 'main'`);
  await knex.raw(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
  await knex.raw(`ALTER TABLE audit_log DROP COLUMN chain, DROP COLUMN chain_seq`);
  await knex.raw(`DROP FUNCTION IF EXISTS ecorights_assert(boolean, text)`);
}
