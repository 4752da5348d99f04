import type { Knex } from 'knex';

// Demand listings (需求挂牌): a buyer announces a quantity it wants with a starting (highest)
// price, a floor and a decrement; holders of the indicator register (locking a cash margin) and
// bid the price down; the lowest bid at the close wins and the award settles as an off-book
// trade. The buyer's cash at the starting price is a reservation from publication on, and the
// leader's quantity is a reservation while it leads. Bids are append-only; the award has one row
// per demand listing, written before its trade, so an interrupted close trades once.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('demand_listings', (t) => {
    t.bigIncrements('id');
    t.text('symbol').notNullable().references('instruments.symbol');
    t.bigInteger('buyer_id').notNullable().references('participants.id');
    t.bigInteger('created_by').notNullable().references('users.id');
    t.text('title').notNullable();
    t.text('description');
    t.specificType('quantity', 'numeric').notNullable();
    t.specificType('start_price', 'numeric').notNullable();
    t.specificType('floor_price', 'numeric').notNullable();
    t.specificType('guidance_price', 'numeric').notNullable();
    t.specificType('decrement', 'numeric').notNullable();
    t.specificType('margin_pct', 'numeric').notNullable();
    t.timestamp('registration_opens_at', { useTz: true }).notNullable();
    t.timestamp('registration_closes_at', { useTz: true }).notNullable();
    t.timestamp('bidding_opens_at', { useTz: true }).notNullable();
    // Moves later when a bid arrives in the anti-sniping window; scheduled_close_at keeps the plan.
    t.timestamp('bidding_closes_at', { useTz: true }).notNullable();
    t.timestamp('scheduled_close_at', { useTz: true }).notNullable();
    t.integer('anti_sniping_seconds').notNullable().defaultTo(0);
    t.integer('extensions').notNullable().defaultTo(0);
    t.text('status').notNullable().defaultTo('open').checkIn(['open', 'closing', 'awarded', 'failed', 'cancelled'], 'demand_listings_status');
    t.bigInteger('buyer_reservation_id').notNullable().references('reservations.id');
    t.bigInteger('best_bid_id');
    t.specificType('clearing_price', 'numeric');
    t.text('result_reason');
    t.text('cancel_reason');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('closed_at', { useTz: true });
    t.unique(['buyer_reservation_id']);
    t.index(['status', 'bidding_closes_at']);
  });
  // The floor never goes under the guidance price (指导价): what a seller is paid stays at or above it.
  await knex.raw(`ALTER TABLE demand_listings ADD CONSTRAINT demand_listings_figures CHECK (
    quantity > 0 AND floor_price > 0 AND floor_price >= guidance_price AND start_price >= floor_price
    AND decrement > 0 AND margin_pct > 0 AND margin_pct <= 100 AND anti_sniping_seconds >= 0 AND extensions >= 0
    AND (clearing_price IS NULL OR (clearing_price >= floor_price AND clearing_price <= start_price)))`);
  await knex.raw(`ALTER TABLE demand_listings ADD CONSTRAINT demand_listings_windows CHECK (
    registration_opens_at < registration_closes_at AND bidding_opens_at < bidding_closes_at
    AND registration_opens_at <= bidding_opens_at AND registration_closes_at <= scheduled_close_at
    AND scheduled_close_at <= bidding_closes_at
    AND registration_opens_at >= created_at - interval '1 minute' AND bidding_opens_at >= created_at - interval '1 minute'
    AND scheduled_close_at <= created_at + interval '366 days')`);

  await knex.schema.createTable('demand_registrations', (t) => {
    t.bigIncrements('id');
    t.bigInteger('demand_listing_id').notNullable().references('demand_listings.id');
    t.bigInteger('participant_id').notNullable().references('participants.id');
    t.bigInteger('user_id').notNullable().references('users.id');
    // Sellers see each other only by this number (竞价号), drawn at random.
    t.integer('bidder_no').notNullable();
    t.specificType('margin', 'numeric').notNullable();
    t.bigInteger('reservation_id').notNullable().references('reservations.id');
    t.text('status').notNullable().defaultTo('active').checkIn(['active', 'won', 'lost', 'withdrawn'], 'demand_registrations_status');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['demand_listing_id', 'participant_id']);
    t.unique(['demand_listing_id', 'bidder_no']);
    t.unique(['reservation_id']);
  });
  await knex.raw(`ALTER TABLE demand_registrations ADD CONSTRAINT demand_registrations_figures CHECK (margin > 0 AND bidder_no BETWEEN 1000 AND 999999)`);

  await knex.schema.createTable('demand_bids', (t) => {
    t.bigIncrements('id');
    t.bigInteger('demand_listing_id').notNullable().references('demand_listings.id');
    t.bigInteger('registration_id').notNullable().references('demand_registrations.id');
    t.bigInteger('user_id').notNullable().references('users.id');
    t.specificType('price', 'numeric').notNullable();
    // The bidder's quantity, locked when this bid took the lead; released when it is undercut.
    t.bigInteger('quantity_reservation_id').notNullable().references('reservations.id');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['demand_listing_id', 'id']);
    t.unique(['quantity_reservation_id']);
  });
  await knex.raw(`ALTER TABLE demand_bids ADD CONSTRAINT demand_bids_figures CHECK (price > 0)`);
  await knex.raw(`CREATE TRIGGER demand_bids_append_only BEFORE UPDATE OR DELETE ON demand_bids FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
  await knex.raw(`ALTER TABLE demand_listings ADD CONSTRAINT demand_listings_best_bid FOREIGN KEY (best_bid_id) REFERENCES demand_bids (id)`);

  // One award per demand listing (the unique key), decided under the listing's lock at the close.
  await knex.schema.createTable('demand_awards', (t) => {
    t.bigIncrements('id');
    t.bigInteger('demand_listing_id').notNullable().references('demand_listings.id').unique();
    t.bigInteger('registration_id').notNullable().references('demand_registrations.id');
    t.bigInteger('bid_id').notNullable().references('demand_bids.id');
    t.specificType('price', 'numeric').notNullable();
    t.specificType('quantity', 'numeric').notNullable();
    t.bigInteger('trade_id').references('trades.id').unique();
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'traded', 'void'], 'demand_awards_status');
    t.text('void_reason');
  });
  await knex.raw(`ALTER TABLE demand_awards ADD CONSTRAINT demand_awards_figures CHECK (price > 0 AND quantity > 0 AND (status <> 'traded' OR trade_id IS NOT NULL))`);
  // The close releases whatever is still held under the demand listing's reference, and a sweep
  // finds locks a crash left without their row: both look up active demand reservations.
  await knex.raw(`CREATE INDEX reservations_active_demand ON reservations (reference) WHERE status = 'active' AND reference LIKE 'demand:%'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS reservations_active_demand`);
  await knex.schema.dropTableIfExists('demand_awards');
  await knex.raw(`ALTER TABLE IF EXISTS demand_listings DROP CONSTRAINT IF EXISTS demand_listings_best_bid`);
  await knex.schema.dropTableIfExists('demand_bids');
  await knex.schema.dropTableIfExists('demand_registrations');
  await knex.schema.dropTableIfExists('demand_listings');
}
