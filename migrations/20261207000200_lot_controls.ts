import type { Knex } from 'knex';

// Legal controls on registered lots. A freeze (冻结) holds every piece of a lot where it lies: each
// holder's piece is locked by a reservation (purpose 'lot_freeze'), so the engine's available
// balances exclude it and settlement never delivers it. One open freeze per lot (partial unique
// index); a freeze row is closed once and otherwise never changes. A revocation (撤销) removes what
// the lot's registrant still holds back to issuance and records, as the regulators' flag, what
// others bought of it in the meantime. Lots and their movements stay append-only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lot_freezes', (t) => {
    t.bigIncrements('id');
    t.bigInteger('lot_id').notNullable().references('lots.id');
    t.text('reason').notNullable().checkIn(['dispute', 'court_order', 'pledge'], 'lot_freezes_reason');
    t.text('note').notNullable();
    t.bigInteger('opened_by').notNullable().references('users.id');
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.bigInteger('closed_by').references('users.id');
    t.timestamp('closed_at', { useTz: true });
    t.text('close_note');
  });
  await knex.raw(`CREATE UNIQUE INDEX lot_freezes_one_open ON lot_freezes (lot_id) WHERE closed_at IS NULL`);
  await knex.raw(`ALTER TABLE lot_freezes ADD CONSTRAINT lot_freezes_closed CHECK ((closed_at IS NULL) = (closed_by IS NULL) AND (closed_at IS NULL) = (close_note IS NULL))`);
  // A freeze is closed once; nothing else about it ever changes.
  await knex.raw(`
    CREATE FUNCTION lot_freezes_close_once() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR OLD.closed_at IS NOT NULL OR NEW.closed_at IS NULL
         OR (NEW.id, NEW.lot_id, NEW.reason, NEW.note, NEW.opened_by, NEW.opened_at) IS DISTINCT FROM (OLD.id, OLD.lot_id, OLD.reason, OLD.note, OLD.opened_by, OLD.opened_at) THEN
        RAISE EXCEPTION 'lot_freezes: a freeze is closed once and never otherwise changed';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER lot_freezes_close_only BEFORE UPDATE OR DELETE ON lot_freezes FOR EACH ROW EXECUTE FUNCTION lot_freezes_close_once()`);

  await knex.schema.createTable('lot_freeze_pieces', (t) => {
    t.bigInteger('freeze_id').notNullable().references('lot_freezes.id');
    t.bigInteger('participant_id').notNullable().references('participants.id');
    t.specificType('quantity', 'numeric').notNullable();
    t.bigInteger('reservation_id').notNullable().unique().references('reservations.id');
    t.primary(['freeze_id', 'participant_id']);
  });
  await knex.raw(`ALTER TABLE lot_freeze_pieces ADD CONSTRAINT lot_freeze_pieces_positive CHECK (quantity > 0)`);

  await knex.schema.createTable('lot_revocations', (t) => {
    t.bigIncrements('id');
    t.bigInteger('lot_id').notNullable().unique().references('lots.id');
    t.bigInteger('holder_id').notNullable().references('participants.id');
    t.specificType('removed_quantity', 'numeric').notNullable();
    t.bigInteger('transfer_id').references('journal_transfers.id');
    t.text('reason').notNullable();
    t.bigInteger('revoked_by').notNullable().references('users.id');
    t.timestamp('revoked_at', { useTz: true }).notNullable();
  });
  await knex.raw(`ALTER TABLE lot_revocations ADD CONSTRAINT lot_revocations_removed CHECK (removed_quantity >= 0 AND (removed_quantity = 0) = (transfer_id IS NULL))`);

  // What had already left the registrant when the lot was revoked: held by, or used or retired by, others.
  await knex.schema.createTable('lot_revocation_onward', (t) => {
    t.bigInteger('revocation_id').notNullable().references('lot_revocations.id');
    t.bigInteger('participant_id').notNullable().references('participants.id');
    t.text('status').notNullable().checkIn(['held', 'used', 'retired'], 'lot_revocation_onward_status');
    t.specificType('quantity', 'numeric').notNullable();
    t.primary(['revocation_id', 'participant_id', 'status']);
  });
  await knex.raw(`ALTER TABLE lot_revocation_onward ADD CONSTRAINT lot_revocation_onward_positive CHECK (quantity > 0)`);

  for (const table of ['lot_freeze_pieces', 'lot_revocations', 'lot_revocation_onward']) {
    await knex.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
  }
  for (const table of ['lot_freezes', 'lot_freeze_pieces', 'lot_revocations', 'lot_revocation_onward']) {
    await knex.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }
  // A revocation's removal is a movement of the lot like a use: the lineage shows it.
  await knex.raw(`ALTER TABLE lot_movements DROP CONSTRAINT lot_movements_kind`);
  await knex.raw(`ALTER TABLE lot_movements ADD CONSTRAINT lot_movements_kind CHECK (kind IN ('issue', 'trade', 'use', 'retire', 'revoke'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE lot_movements DROP CONSTRAINT lot_movements_kind`);
  await knex.raw(`ALTER TABLE lot_movements ADD CONSTRAINT lot_movements_kind CHECK (kind IN ('issue', 'trade', 'use', 'retire'))`);
  for (const table of ['lot_revocation_onward', 'lot_revocations', 'lot_freeze_pieces', 'lot_freezes']) await knex.schema.dropTableIfExists(table);
  await knex.raw(`DROP FUNCTION IF EXISTS lot_freezes_close_once()`);
}
