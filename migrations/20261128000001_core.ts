import type { Knex } from 'knex';

// The ledger of record. Invariants live here as constraints, so no code path can break them:
// balances never go negative, journal transfers balance per asset, the journal and the audit log
// are append-only, and a trade can be settled only once.
export async function up(knex: Knex): Promise<void> {
  // Platform-wide settings kept in the database so every node agrees (e.g. the token secret).
  await knex.schema.createTable('platform_settings', (t) => {
    t.text('key').primary();
    t.text('value').notNullable();
  });

  await knex.schema.createTable('participants', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable().unique();
    t.text('kind').notNullable().checkIn(['government', 'enterprise', 'platform'], 'participants_kind');
    t.text('region').notNullable();
    t.text('prefecture').notNullable();
    t.text('status').notNullable().defaultTo('active').checkIn(['active', 'suspended'], 'participants_status');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id');
    t.text('username').notNullable().unique();
    t.text('password_hash').notNullable();
    t.text('role').notNullable().checkIn(['participant', 'regulator', 'operator'], 'users_role');
    t.bigInteger('participant_id').references('participants.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE users ADD CONSTRAINT users_participant_iff_role CHECK ((role = 'participant') = (participant_id IS NOT NULL))`,
  );

  await knex.schema.createTable('instruments', (t) => {
    t.text('symbol').primary();
    t.text('indicator_type').notNullable().checkIn(['farmland', 'land_linkage', 'wetland', 'carbon_sink'], 'instruments_type');
    t.text('sub_type');
    t.text('name_zh').notNullable();
    t.text('name').notNullable();
    t.text('unit').notNullable();
    t.specificType('tick_size', 'numeric').notNullable();
    t.specificType('lot_size', 'numeric').notNullable();
    t.specificType('min_quantity', 'numeric').notNullable();
    t.specificType('price_band_pct', 'numeric').notNullable().defaultTo(10);
    t.specificType('reference_price', 'numeric').notNullable();
    t.text('status').notNullable().defaultTo('trading').checkIn(['trading', 'auction', 'halted'], 'instruments_status');
    t.text('halt_reason');
    t.text('seller_kinds').notNullable().checkIn(['government', 'any'], 'instruments_seller_kinds');
    t.integer('buyer_fee_bps').notNullable().defaultTo(0);
    t.integer('seller_fee_bps').notNullable().defaultTo(0);
    t.integer('vintage');
    t.integer('display_order').notNullable().defaultTo(0);
  });
  await knex.raw(`ALTER TABLE instruments ADD CONSTRAINT instruments_positive CHECK (
    tick_size > 0 AND lot_size > 0 AND min_quantity >= lot_size AND reference_price > 0
    AND price_band_pct > 0 AND price_band_pct < 100
    AND buyer_fee_bps BETWEEN 0 AND 1000 AND seller_fee_bps BETWEEN 0 AND 1000)`);

  // One row per holder and asset ('CNY' or an instrument symbol). System accounts (the bank that
  // funds deposits, the issuance account that backs verified lots, platform fees) are the other
  // side of double entry; only they may carry a negative balance.
  await knex.schema.createTable('accounts', (t) => {
    t.bigIncrements('id');
    t.bigInteger('participant_id').references('participants.id');
    t.text('system_role');
    t.text('asset').notNullable();
    t.specificType('available', 'numeric').notNullable().defaultTo(0);
    t.specificType('locked', 'numeric').notNullable().defaultTo(0);
    t.unique(['participant_id', 'asset']);
    t.unique(['system_role', 'asset']);
  });
  await knex.raw(`ALTER TABLE accounts ADD CONSTRAINT accounts_one_owner CHECK ((participant_id IS NULL) <> (system_role IS NULL))`);
  await knex.raw(`ALTER TABLE accounts ADD CONSTRAINT accounts_non_negative CHECK (system_role IS NOT NULL OR (available >= 0 AND locked >= 0))`);
  await knex.raw(`ALTER TABLE accounts ADD CONSTRAINT accounts_system_unlocked CHECK (system_role IS NULL OR locked = 0)`);

  await knex.schema.createTable('journal_transfers', (t) => {
    t.bigIncrements('id');
    t.text('kind').notNullable();
    t.text('reference').notNullable();
    t.bigInteger('trade_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('postings', (t) => {
    t.bigIncrements('id');
    t.bigInteger('transfer_id').notNullable().references('journal_transfers.id');
    t.bigInteger('account_id').notNullable().references('accounts.id');
    t.text('asset').notNullable();
    t.specificType('amount', 'numeric').notNullable();
    t.index(['account_id']);
    t.index(['transfer_id']);
  });
  await knex.raw(`ALTER TABLE postings ADD CONSTRAINT postings_non_zero CHECK (amount <> 0)`);

  // A transfer's postings are written by one INSERT statement; this statement-level check refuses
  // any statement that leaves a touched transfer unbalanced for some asset.
  await knex.raw(`
    CREATE FUNCTION postings_balance_check() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE bad record;
    BEGIN
      SELECT p.transfer_id, p.asset, sum(p.amount) AS total INTO bad
        FROM postings p
       WHERE p.transfer_id IN (SELECT DISTINCT transfer_id FROM new_postings)
       GROUP BY p.transfer_id, p.asset
      HAVING sum(p.amount) <> 0
       LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'journal transfer % does not balance for asset % (sum %)', bad.transfer_id, bad.asset, bad.total
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER postings_balance AFTER INSERT ON postings
    REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION postings_balance_check()`);
  await knex.raw(`
    CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END $$`);
  for (const table of ['postings', 'journal_transfers']) {
    await knex.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
  }

  await knex.schema.createTable('lots', (t) => {
    t.bigIncrements('id');
    t.bigInteger('participant_id').notNullable().references('participants.id');
    t.text('symbol').notNullable().references('instruments.symbol');
    t.specificType('quantity', 'numeric').notNullable();
    t.text('region').notNullable();
    t.text('source_project').notNullable();
    t.text('verification_ref').notNullable();
    t.integer('vintage').notNullable();
    t.jsonb('attributes').notNullable().defaultTo('{}');
    t.bigInteger('transfer_id').notNullable().references('journal_transfers.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['symbol', 'verification_ref']);
  });
  await knex.raw(`ALTER TABLE lots ADD CONSTRAINT lots_positive CHECK (quantity > 0)`);
  await knex.raw(`CREATE TRIGGER lots_append_only BEFORE UPDATE OR DELETE ON lots FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

  // Order and trade ids are handed out in blocks by the engine host, so a batch needs no round trip.
  await knex.raw(`CREATE SEQUENCE id_block_seq`);

  await knex.schema.createTable('orders', (t) => {
    t.bigInteger('id').primary();
    t.bigInteger('participant_id').notNullable().references('participants.id');
    t.bigInteger('user_id').notNullable().references('users.id');
    t.text('client_order_id');
    t.text('symbol').notNullable().references('instruments.symbol');
    t.text('side').notNullable().checkIn(['buy', 'sell'], 'orders_side');
    t.text('type').notNullable().checkIn(['limit', 'market'], 'orders_type');
    t.text('time_in_force').notNullable().checkIn(['GTC', 'IOC', 'FOK', 'DAY'], 'orders_tif');
    t.specificType('price', 'numeric');
    t.specificType('quantity', 'numeric').notNullable();
    t.specificType('filled_quantity', 'numeric').notNullable().defaultTo(0);
    t.text('status').notNullable().checkIn(['open', 'partially_filled', 'filled', 'cancelled', 'rejected'], 'orders_status');
    t.text('cancel_reason');
    // Cash locked per remaining lot for a buy (limit price × lot, rounded up to the fen, plus fee);
    // what an open buy reserves is always remaining lots × this.
    t.specificType('reserve_per_lot', 'numeric');
    // Time priority inside the book; rebuilding a book replays resting orders in this order.
    t.bigInteger('priority').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['participant_id', 'client_order_id']);
    t.index(['participant_id', 'created_at']);
  });
  await knex.raw(`ALTER TABLE orders ADD CONSTRAINT orders_quantities CHECK (quantity > 0 AND filled_quantity >= 0 AND filled_quantity <= quantity)`);
  await knex.raw(`CREATE INDEX orders_resting ON orders (symbol, priority) WHERE status IN ('open', 'partially_filled')`);

  await knex.schema.createTable('trades', (t) => {
    t.bigInteger('id').primary();
    t.text('symbol').notNullable().references('instruments.symbol');
    t.specificType('price', 'numeric').notNullable();
    t.specificType('quantity', 'numeric').notNullable();
    t.specificType('amount', 'numeric').notNullable();
    t.specificType('buyer_fee', 'numeric').notNullable().defaultTo(0);
    t.specificType('seller_fee', 'numeric').notNullable().defaultTo(0);
    t.bigInteger('buy_order_id').notNullable().references('orders.id');
    t.bigInteger('sell_order_id').notNullable().references('orders.id');
    t.bigInteger('buyer_id').notNullable().references('participants.id');
    t.bigInteger('seller_id').notNullable().references('participants.id');
    t.text('aggressor_side').notNullable().checkIn(['buy', 'sell'], 'trades_aggressor');
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'settled', 'failed'], 'trades_status');
    t.timestamp('executed_at', { useTz: true }).notNullable();
    t.index(['symbol', 'executed_at']);
    t.index(['buy_order_id']);
    t.index(['sell_order_id']);
    t.index(['buyer_id']);
    t.index(['seller_id']);
  });
  await knex.raw(`ALTER TABLE trades ADD CONSTRAINT trades_positive CHECK (price > 0 AND quantity > 0 AND amount > 0 AND buyer_fee >= 0 AND seller_fee >= 0 AND seller_fee <= amount)`);

  await knex.schema.createTable('settlement_outbox', (t) => {
    t.bigInteger('trade_id').primary().references('trades.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('enqueued_at', { useTz: true });
  });
  await knex.raw(`CREATE INDEX settlement_outbox_unsent ON settlement_outbox (created_at) WHERE enqueued_at IS NULL`);

  // The primary key on trade_id is what makes settlement take effect exactly once.
  await knex.schema.createTable('settlements', (t) => {
    t.bigInteger('trade_id').primary().references('trades.id');
    t.bigInteger('transfer_id').notNullable().references('journal_transfers.id');
    t.text('certificate_no').notNullable().unique();
    t.timestamp('settled_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigInteger('seq').primary();
    t.timestamp('at', { useTz: true }).notNullable();
    t.bigInteger('actor_user_id');
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('subject').notNullable();
    t.jsonb('payload').notNullable();
    t.text('prev_hash').notNullable();
    t.text('hash').notNullable().unique();
    t.index(['action', 'at']);
  });
  await knex.raw(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['audit_log', 'settlements', 'settlement_outbox', 'trades', 'orders', 'lots', 'postings', 'journal_transfers', 'accounts', 'instruments', 'users', 'participants', 'platform_settings']) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('DROP SEQUENCE IF EXISTS id_block_seq');
  await knex.raw('DROP FUNCTION IF EXISTS postings_balance_check()');
  await knex.raw('DROP FUNCTION IF EXISTS refuse_change()');
}
