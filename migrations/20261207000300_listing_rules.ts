import type { Knex } from 'knex';

// Listing rules of issue 15: objections heard during publicity (异议), a price cap with a
// verifiable lottery among those who accept it (摇号), failed listings (流拍) and relisting, and
// the results board (成交公示). Objections, their decisions, cap acceptances and draws are
// append-only; "decided once", "accepted once", "drawn once" and "relisted once" are unique keys,
// and a draw whose seed does not hash to the published commitment cannot be stored.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE instruments
    ADD COLUMN listing_relist_step_pct numeric NOT NULL DEFAULT 10,
    ADD COLUMN listing_results_working_days integer NOT NULL DEFAULT 10,
    ADD CONSTRAINT instruments_listing_relist_results CHECK (
      listing_relist_step_pct >= 0 AND listing_relist_step_pct <= 100 AND listing_results_working_days BETWEEN 1 AND 60)`);

  await knex.raw(`ALTER TABLE listings
    ADD COLUMN price_cap numeric,
    ADD COLUMN cap_pct numeric,
    ADD COLUMN cap_window_minutes integer,
    ADD COLUMN seed_commitment text,
    ADD COLUMN cap_reached_at timestamptz,
    ADD COLUMN min_bidders integer NOT NULL DEFAULT 1,
    ADD COLUMN reserve_price numeric,
    ADD COLUMN failure_code text,
    ADD COLUMN relist_of bigint REFERENCES listings (id),
    ADD CONSTRAINT listings_relist_once UNIQUE (relist_of),
    ADD CONSTRAINT listings_cap CHECK (
      (price_cap IS NULL AND cap_pct IS NULL AND cap_window_minutes IS NULL AND cap_reached_at IS NULL)
      OR (mode = 'open' AND price_cap > start_price AND cap_window_minutes BETWEEN 1 AND 10080 AND (cap_pct IS NULL OR cap_pct > 100))),
    ADD CONSTRAINT listings_seed_commitment CHECK (seed_commitment IS NULL OR (price_cap IS NOT NULL AND seed_commitment ~ '^[0-9a-f]{64}$')),
    ADD CONSTRAINT listings_min_bidders CHECK (min_bidders BETWEEN 1 AND 100),
    ADD CONSTRAINT listings_reserve CHECK (reserve_price IS NULL OR (reserve_price >= start_price AND (price_cap IS NULL OR reserve_price <= price_cap))),
    ADD CONSTRAINT listings_failure_code CHECK (failure_code IS NULL OR failure_code IN ('no_bid', 'too_few_bidders', 'reserve_not_met', 'unpaid'))`);
  // A commitment is published once and never changed: changing it after seeing who entered would
  // let the operator choose the winner.
  await knex.raw(`
    CREATE FUNCTION listings_commitment_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.seed_commitment IS NOT NULL AND NEW.seed_commitment IS DISTINCT FROM OLD.seed_commitment THEN
        RAISE EXCEPTION 'listings_commitment_fixed: a seed commitment cannot be changed' USING ERRCODE = 'check_violation';
      END IF;
      IF (OLD.price_cap, OLD.reserve_price, OLD.min_bidders) IS DISTINCT FROM (NEW.price_cap, NEW.reserve_price, NEW.min_bidders) THEN
        RAISE EXCEPTION 'listings_commitment_fixed: a listing keeps the terms it was announced with' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER listings_commitment_fixed BEFORE UPDATE ON listings FOR EACH ROW EXECUTE FUNCTION listings_commitment_fixed()`);

  await knex.schema.createTable('listing_objections', (t) => {
    t.bigIncrements('id');
    t.bigInteger('listing_id').notNullable().references('listings.id');
    t.bigInteger('participant_id').notNullable().references('participants.id');
    t.bigInteger('user_id').notNullable().references('users.id');
    t.text('reason').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['listing_id', 'id']);
  });
  await knex.raw(`ALTER TABLE listing_objections ADD CONSTRAINT listing_objections_reason CHECK (char_length(btrim(reason)) BETWEEN 5 AND 2000)`);
  await knex.schema.createTable('listing_objection_decisions', (t) => {
    t.bigInteger('objection_id').primary().references('listing_objections.id');
    t.text('outcome').notNullable().checkIn(['upheld', 'dismissed'], 'listing_objection_decisions_outcome');
    t.text('reason').notNullable();
    t.bigInteger('decided_by').notNullable().references('users.id');
    t.timestamp('decided_at', { useTz: true }).notNullable();
  });
  await knex.raw(`ALTER TABLE listing_objection_decisions ADD CONSTRAINT listing_objection_decisions_reason CHECK (char_length(btrim(reason)) BETWEEN 2 AND 2000)`);

  await knex.schema.createTable('listing_cap_acceptances', (t) => {
    t.bigIncrements('id');
    t.bigInteger('listing_id').notNullable().references('listings.id');
    t.bigInteger('registration_id').notNullable().references('listing_registrations.id');
    // The acceptance is a bid at the cap, so the draw's winner is awarded through the ordinary award.
    t.bigInteger('bid_id').notNullable().unique().references('listing_bids.id');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['listing_id', 'registration_id']);
  });

  await knex.schema.createTable('listing_lotteries', (t) => {
    t.bigInteger('listing_id').primary().references('listings.id');
    t.text('seed').notNullable();
    t.text('commitment').notNullable();
    t.specificType('entrants', 'text[]').notNullable();
    t.text('digest').notNullable();
    t.integer('winner_index').notNullable();
    t.bigInteger('winner_registration_id').notNullable().references('listing_registrations.id');
    t.bigInteger('drawn_by').notNullable().references('users.id');
    t.timestamp('drawn_at', { useTz: true }).notNullable();
  });
  await knex.raw(`ALTER TABLE listing_lotteries ADD CONSTRAINT listing_lotteries_reveal CHECK (
    encode(sha256(convert_to(seed, 'UTF8')), 'hex') = commitment
    AND digest = encode(sha256(convert_to(seed || '|' || listing_id::text || '|' || array_to_string(entrants, ','), 'UTF8')), 'hex')
    AND cardinality(entrants) > 0 AND winner_index >= 0 AND winner_index < cardinality(entrants))`);

  for (const table of ['listing_objections', 'listing_objection_decisions', 'listing_cap_acceptances', 'listing_lotteries']) {
    await knex.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await knex.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['listing_lotteries', 'listing_cap_acceptances', 'listing_objection_decisions', 'listing_objections']) await knex.schema.dropTableIfExists(table);
  await knex.raw(`DROP TRIGGER IF EXISTS listings_commitment_fixed ON listings`);
  await knex.raw(`DROP FUNCTION IF EXISTS listings_commitment_fixed()`);
  await knex.raw(`ALTER TABLE listings DROP COLUMN IF EXISTS relist_of, DROP COLUMN IF EXISTS failure_code, DROP COLUMN IF EXISTS reserve_price,
    DROP COLUMN IF EXISTS min_bidders, DROP COLUMN IF EXISTS cap_reached_at, DROP COLUMN IF EXISTS seed_commitment,
    DROP COLUMN IF EXISTS cap_window_minutes, DROP COLUMN IF EXISTS cap_pct, DROP COLUMN IF EXISTS price_cap`);
  await knex.raw(`ALTER TABLE instruments DROP CONSTRAINT IF EXISTS instruments_listing_relist_results,
    DROP COLUMN IF EXISTS listing_results_working_days, DROP COLUMN IF EXISTS listing_relist_step_pct`);
}
