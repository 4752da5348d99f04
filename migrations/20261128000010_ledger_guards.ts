import type { Knex } from 'knex';

const APPEND_ONLY = ['postings', 'journal_transfers', 'lots', 'audit_log', 'lot_movements', 'registry_actions'];

// Append-only must hold against TRUNCATE too (row triggers never see it). And an order keeps the
// fee rate it was placed under: its reservation was computed with that rate, so its fills must be
// charged with it even if the instrument's fees change while it rests.
export async function up(knex: Knex): Promise<void> {
  for (const table of APPEND_ONLY) {
    await knex.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }
  await knex.raw(`ALTER TABLE orders ADD COLUMN fee_bps integer CONSTRAINT orders_fee_bps CHECK (fee_bps BETWEEN 0 AND 1000)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE orders DROP COLUMN fee_bps`);
  for (const table of APPEND_ONLY) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_no_truncate ON ${table}`);
}
