import type { Knex } from 'knex';

// Trades that do not come from the order book: negotiated block trades (大宗协议) and the results
// of listing auctions (挂牌竞价). They settle through the same DVP path, so they are trades too,
// without book orders. Cash or quantity set aside for them (a bidder's margin, a block's
// payment) is a reservation: a lock with a purpose, released or consumed by the engine host.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE trades ALTER COLUMN buy_order_id DROP NOT NULL, ALTER COLUMN sell_order_id DROP NOT NULL`);
  await knex.raw(`ALTER TABLE trades ADD COLUMN venue text NOT NULL DEFAULT 'book'
                    CONSTRAINT trades_venue CHECK (venue IN ('book', 'block', 'listing'))`);
  await knex.raw(`ALTER TABLE trades ADD CONSTRAINT trades_book_orders CHECK (venue <> 'book' OR (buy_order_id IS NOT NULL AND sell_order_id IS NOT NULL))`);

  await knex.schema.createTable('reservations', (t) => {
    t.bigInteger('id').primary();
    t.bigInteger('participant_id').notNullable().references('participants.id');
    t.text('asset').notNullable();
    t.specificType('amount', 'numeric').notNullable();
    t.text('purpose').notNullable();
    t.text('reference').notNullable();
    t.text('status').notNullable().checkIn(['active', 'released', 'consumed'], 'reservations_status');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['participant_id', 'status']);
  });
  await knex.raw(`ALTER TABLE reservations ADD CONSTRAINT reservations_amount CHECK (amount >= 0 AND (status = 'active' OR amount = 0))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('reservations');
  await knex.raw(`DELETE FROM settlement_outbox WHERE trade_id IN (SELECT id FROM trades WHERE venue <> 'book')`);
  await knex.raw(`ALTER TABLE trades DROP CONSTRAINT trades_book_orders, DROP COLUMN venue`);
  await knex.raw(`ALTER TABLE trades ALTER COLUMN buy_order_id SET NOT NULL, ALTER COLUMN sell_order_id SET NOT NULL`);
}
