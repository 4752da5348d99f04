import type { Knex } from 'knex';

// Block trades (大宗协议): two participants agree a trade off the book; one proposes it, the other
// confirms it before a deadline. Each instrument has a minimum block size: by default 100,000 t
// for carbon (as in the national carbon market), 10,000 kg for grain capacity, 10 亩 for land
// and wetland quotas; the operator changes it per instrument.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE instruments ADD COLUMN block_min_quantity numeric`);
  await knex.raw(`
    CREATE FUNCTION instruments_block_minimum_default() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.block_min_quantity := coalesce(NEW.block_min_quantity, CASE NEW.unit WHEN 'tCO2e' THEN 100000 WHEN 'kg' THEN 10000 ELSE 10 END);
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER instruments_block_minimum_default BEFORE INSERT ON instruments FOR EACH ROW EXECUTE FUNCTION instruments_block_minimum_default()`);
  await knex.raw(`UPDATE instruments SET block_min_quantity = CASE unit WHEN 'tCO2e' THEN 100000 WHEN 'kg' THEN 10000 ELSE 10 END`);
  await knex.raw(`ALTER TABLE instruments ALTER COLUMN block_min_quantity SET NOT NULL, ADD CONSTRAINT instruments_block_minimum_positive CHECK (block_min_quantity > 0)`);

  await knex.schema.createTable('block_trades', (t) => {
    t.bigIncrements('id');
    t.text('symbol').notNullable().references('instruments.symbol');
    t.bigInteger('initiator_id').notNullable().references('participants.id');
    t.bigInteger('counterparty_id').notNullable().references('participants.id');
    t.bigInteger('proposed_by').notNullable().references('users.id');
    t.text('initiator_side').notNullable().checkIn(['buy', 'sell'], 'block_trades_side');
    t.specificType('price', 'numeric').notNullable();
    t.specificType('quantity', 'numeric').notNullable();
    // The reference price the ±band was checked against when proposed.
    t.specificType('reference_price', 'numeric').notNullable();
    t.text('note');
    t.text('status').notNullable().defaultTo('proposed').checkIn(['proposed', 'confirmed', 'rejected', 'cancelled', 'expired'], 'block_trades_status');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.bigInteger('initiator_reservation_id').notNullable().references('reservations.id');
    t.bigInteger('counterparty_reservation_id').references('reservations.id');
    t.bigInteger('trade_id').references('trades.id');
    t.bigInteger('decided_by').references('users.id');
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('decided_at', { useTz: true });
    t.index(['status', 'expires_at']);
    t.index(['initiator_id', 'id']);
    t.index(['counterparty_id', 'id']);
  });
  await knex.raw(`ALTER TABLE block_trades ADD CONSTRAINT block_trades_figures CHECK (
    price > 0 AND quantity > 0 AND reference_price > 0 AND initiator_id <> counterparty_id
    AND (status <> 'confirmed' OR trade_id IS NOT NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('block_trades');
  await knex.raw(`DROP TRIGGER IF EXISTS instruments_block_minimum_default ON instruments`);
  await knex.raw(`DROP FUNCTION IF EXISTS instruments_block_minimum_default()`);
  await knex.raw(`ALTER TABLE instruments DROP CONSTRAINT IF EXISTS instruments_block_minimum_positive, DROP COLUMN IF EXISTS block_min_quantity`);
}
