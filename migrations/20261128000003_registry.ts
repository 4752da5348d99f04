import type { Knex } from 'knex';

// The registry: every unit of indicator is held as a piece of the verified lot it came from.
// Holdings per (lot, holder) always sum to the holder's account balance for that instrument;
// movements are the append-only chain of how each piece travelled; registry actions are uses
// (核销) and retirements (注销), which remove quantity for good.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lot_holdings', (t) => {
    t.bigIncrements('id');
    t.bigInteger('lot_id').notNullable().references('lots.id');
    t.bigInteger('participant_id').notNullable().references('participants.id');
    t.text('symbol').notNullable().references('instruments.symbol');
    t.specificType('quantity', 'numeric').notNullable();
    t.timestamp('acquired_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['lot_id', 'participant_id']);
    t.index(['participant_id', 'symbol', 'acquired_at']);
  });
  await knex.raw(`ALTER TABLE lot_holdings ADD CONSTRAINT lot_holdings_non_negative CHECK (quantity >= 0)`);

  await knex.schema.createTable('registry_actions', (t) => {
    t.bigIncrements('id');
    t.bigInteger('participant_id').notNullable().references('participants.id');
    t.bigInteger('user_id').notNullable().references('users.id');
    t.text('kind').notNullable().checkIn(['use', 'retire'], 'registry_actions_kind');
    t.text('symbol').notNullable().references('instruments.symbol');
    t.specificType('quantity', 'numeric').notNullable();
    t.text('request_id').notNullable();
    t.text('project_name');
    t.text('approval_ref');
    t.text('beneficiary');
    t.text('reason');
    t.text('certificate_no').notNullable().unique();
    t.bigInteger('transfer_id').notNullable().references('journal_transfers.id');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['participant_id', 'request_id']);
  });
  await knex.raw(`ALTER TABLE registry_actions ADD CONSTRAINT registry_actions_positive CHECK (quantity > 0)`);
  await knex.raw(`ALTER TABLE registry_actions ADD CONSTRAINT registry_actions_fields CHECK (
    (kind = 'use' AND project_name IS NOT NULL AND approval_ref IS NOT NULL)
    OR (kind = 'retire' AND beneficiary IS NOT NULL AND reason IS NOT NULL))`);
  await knex.raw(`CREATE TRIGGER registry_actions_append_only BEFORE UPDATE OR DELETE ON registry_actions FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

  await knex.schema.createTable('lot_movements', (t) => {
    t.bigIncrements('id');
    t.bigInteger('lot_id').notNullable().references('lots.id');
    t.text('kind').notNullable().checkIn(['issue', 'trade', 'use', 'retire'], 'lot_movements_kind');
    t.bigInteger('from_participant_id').references('participants.id');
    t.bigInteger('to_participant_id').references('participants.id');
    t.specificType('quantity', 'numeric').notNullable();
    t.bigInteger('trade_id').references('trades.id');
    t.bigInteger('registry_action_id').references('registry_actions.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['lot_id', 'id']);
  });
  await knex.raw(`ALTER TABLE lot_movements ADD CONSTRAINT lot_movements_positive CHECK (quantity > 0)`);
  await knex.raw(`CREATE TRIGGER lot_movements_append_only BEFORE UPDATE OR DELETE ON lot_movements FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

  // Settlement that failed for good (a dead letter) says why, for the operator's replay.
  await knex.schema.alterTable('trades', (t) => {
    t.text('failure_reason');
    t.timestamp('failed_at', { useTz: true });
  });

  // Lots registered before this migration become their holders' first holdings.
  await knex.raw(`INSERT INTO lot_holdings (lot_id, participant_id, symbol, quantity, acquired_at)
                  SELECT id, participant_id, symbol, quantity, created_at FROM lots`);
  await knex.raw(`INSERT INTO lot_movements (lot_id, kind, to_participant_id, quantity, created_at)
                  SELECT id, 'issue', participant_id, quantity, created_at FROM lots`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('trades', (t) => {
    t.dropColumn('failure_reason');
    t.dropColumn('failed_at');
  });
  await knex.schema.dropTableIfExists('lot_movements');
  await knex.schema.dropTableIfExists('registry_actions');
  await knex.schema.dropTableIfExists('lot_holdings');
}
