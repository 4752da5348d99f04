import type { Knex } from 'knex';

// Listing auctions (挂牌竞价): a seller lists a quantity with a start price no lower than the
// instrument's guidance price (指导价); bidders register, which locks their margin (保证金), and
// bid; the close awards the quantity and the award settles as an off-book trade. Bids are
// append-only, like the audit log: what a bidder offered is never rewritten.
export async function up(knex: Knex): Promise<void> {
  // The guidance price is set by the operator; a new instrument starts with its reference price.
  await knex.raw(`ALTER TABLE instruments ADD COLUMN guidance_price numeric`);
  await knex.raw(`UPDATE instruments SET guidance_price = reference_price`);
  await knex.raw(`
    CREATE FUNCTION instruments_guidance_default() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.guidance_price := coalesce(NEW.guidance_price, NEW.reference_price);
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER instruments_guidance_default BEFORE INSERT ON instruments FOR EACH ROW EXECUTE FUNCTION instruments_guidance_default()`);
  await knex.raw(`ALTER TABLE instruments ALTER COLUMN guidance_price SET NOT NULL, ADD CONSTRAINT instruments_guidance_positive CHECK (guidance_price > 0)`);

  await knex.schema.createTable('listings', (t) => {
    t.bigIncrements('id');
    t.text('symbol').notNullable().references('instruments.symbol');
    t.bigInteger('seller_id').notNullable().references('participants.id');
    t.bigInteger('created_by').notNullable().references('users.id');
    t.text('title').notNullable();
    t.text('description');
    // open: ascending open bids for the whole quantity; sealed: hidden bids for parts of it,
    // cleared at one uniform price (the lowest winning bid).
    t.text('mode').notNullable().checkIn(['open', 'sealed'], 'listings_mode');
    t.specificType('quantity', 'numeric').notNullable();
    t.specificType('start_price', 'numeric').notNullable();
    t.specificType('guidance_price', 'numeric').notNullable();
    t.specificType('bid_increment', 'numeric');
    t.specificType('margin_pct', 'numeric').notNullable();
    t.timestamp('registration_opens_at', { useTz: true }).notNullable();
    t.timestamp('registration_closes_at', { useTz: true }).notNullable();
    t.timestamp('bidding_opens_at', { useTz: true }).notNullable();
    // Moves later when a bid arrives in the anti-sniping window; scheduled_close_at keeps the plan.
    t.timestamp('bidding_closes_at', { useTz: true }).notNullable();
    t.timestamp('scheduled_close_at', { useTz: true }).notNullable();
    t.integer('anti_sniping_seconds').notNullable().defaultTo(0);
    t.integer('extensions').notNullable().defaultTo(0);
    // open until the close; closing while its awards are carried out; then one of the results.
    t.text('status').notNullable().defaultTo('open').checkIn(['open', 'closing', 'awarded', 'failed', 'cancelled'], 'listings_status');
    t.bigInteger('seller_reservation_id').notNullable().references('reservations.id');
    t.bigInteger('best_bid_id');
    t.specificType('clearing_price', 'numeric');
    t.specificType('sold_quantity', 'numeric');
    t.text('result_reason');
    // Set when the operator (or the seller, before registration opens) withdraws the listing;
    // the close then releases everything and the listing ends cancelled.
    t.text('cancel_reason');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('closed_at', { useTz: true });
    t.index(['status', 'bidding_closes_at']);
    t.index(['symbol', 'id']);
  });
  await knex.raw(`ALTER TABLE listings ADD CONSTRAINT listings_figures CHECK (
    quantity > 0 AND start_price > 0 AND start_price >= guidance_price AND margin_pct > 0 AND margin_pct <= 100
    AND (bid_increment IS NULL OR bid_increment > 0) AND (mode = 'sealed' OR bid_increment IS NOT NULL)
    AND anti_sniping_seconds >= 0 AND extensions >= 0)`);
  await knex.raw(`ALTER TABLE listings ADD CONSTRAINT listings_windows CHECK (
    registration_opens_at < registration_closes_at AND bidding_opens_at < bidding_closes_at
    AND registration_opens_at <= bidding_opens_at AND registration_closes_at <= scheduled_close_at
    AND scheduled_close_at <= bidding_closes_at)`);

  await knex.schema.createTable('listing_registrations', (t) => {
    t.bigIncrements('id');
    t.bigInteger('listing_id').notNullable().references('listings.id');
    t.bigInteger('participant_id').notNullable().references('participants.id');
    t.bigInteger('user_id').notNullable().references('users.id');
    // Bidders see each other only by this number (竞买号), in registration order.
    t.integer('bidder_no').notNullable();
    // Most the bidder may bid for: the whole lot in open mode, its declared part when sealed.
    t.specificType('quantity', 'numeric').notNullable();
    t.specificType('margin', 'numeric').notNullable();
    t.bigInteger('reservation_id').notNullable().references('reservations.id');
    t.text('status').notNullable().defaultTo('active').checkIn(['active', 'won', 'lost', 'withdrawn'], 'listing_registrations_status');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['listing_id', 'participant_id']);
    t.unique(['listing_id', 'bidder_no']);
  });
  await knex.raw(`ALTER TABLE listing_registrations ADD CONSTRAINT listing_registrations_figures CHECK (quantity > 0 AND margin > 0 AND bidder_no > 0)`);

  await knex.schema.createTable('listing_bids', (t) => {
    t.bigIncrements('id');
    t.bigInteger('listing_id').notNullable().references('listings.id');
    t.bigInteger('registration_id').notNullable().references('listing_registrations.id');
    t.bigInteger('user_id').notNullable().references('users.id');
    t.specificType('price', 'numeric').notNullable();
    t.specificType('quantity', 'numeric').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['listing_id', 'id']);
  });
  await knex.raw(`ALTER TABLE listing_bids ADD CONSTRAINT listing_bids_figures CHECK (price > 0 AND quantity > 0)`);
  await knex.raw(`CREATE TRIGGER listing_bids_append_only BEFORE UPDATE OR DELETE ON listing_bids FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
  await knex.raw(`ALTER TABLE listings ADD CONSTRAINT listings_best_bid FOREIGN KEY (best_bid_id) REFERENCES listing_bids (id)`);

  // Written when a listing closes, before its trades are made, so an interrupted close resumes
  // with the same awards: the seller's part for each winner, then the trade.
  await knex.schema.createTable('listing_awards', (t) => {
    t.bigIncrements('id');
    t.bigInteger('listing_id').notNullable().references('listings.id');
    t.bigInteger('registration_id').notNullable().references('listing_registrations.id');
    t.bigInteger('bid_id').notNullable().references('listing_bids.id');
    t.specificType('price', 'numeric').notNullable();
    t.specificType('quantity', 'numeric').notNullable();
    t.bigInteger('seller_reservation_id').references('reservations.id');
    t.bigInteger('trade_id').references('trades.id');
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'traded', 'void'], 'listing_awards_status');
    t.text('void_reason');
    t.unique(['listing_id', 'registration_id']);
  });
  await knex.raw(`ALTER TABLE listing_awards ADD CONSTRAINT listing_awards_figures CHECK (price > 0 AND quantity > 0 AND (status <> 'traded' OR trade_id IS NOT NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('listing_awards');
  await knex.raw(`ALTER TABLE IF EXISTS listings DROP CONSTRAINT IF EXISTS listings_best_bid`);
  await knex.schema.dropTableIfExists('listing_bids');
  await knex.schema.dropTableIfExists('listing_registrations');
  await knex.schema.dropTableIfExists('listings');
  await knex.raw(`DROP TRIGGER IF EXISTS instruments_guidance_default ON instruments`);
  await knex.raw(`DROP FUNCTION IF EXISTS instruments_guidance_default()`);
  await knex.raw(`ALTER TABLE instruments DROP CONSTRAINT IF EXISTS instruments_guidance_positive, DROP COLUMN IF EXISTS guidance_price`);
}
