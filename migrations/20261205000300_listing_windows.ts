import type { Knex } from 'knex';

// Listing windows (issue 13): every instrument carries the least number of working days a
// listing's registration (公示/报名) and bidding windows must last, set by the operator, so a
// listing cannot be announced and closed before the market has had a chance to see it. The
// working-day rule lives in contract/listing-windows.ts; PostgreSQL keeps what needs no calendar:
// a new listing cannot start before it was created, nor use dates no market uses.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE instruments
    ADD COLUMN listing_min_registration_days integer NOT NULL DEFAULT 5,
    ADD COLUMN listing_min_bidding_days integer NOT NULL DEFAULT 1,
    ADD CONSTRAINT instruments_listing_minimums CHECK (
      listing_min_registration_days BETWEEN 0 AND 60 AND listing_min_bidding_days BETWEEN 0 AND 60)`);
  // NOT VALID: listings made before this rule stay as they were; every new row is checked.
  // The minute of grace is the time a request takes (START_TOLERANCE_MS).
  await knex.raw(`ALTER TABLE listings ADD CONSTRAINT listings_start_not_past CHECK (
    registration_opens_at >= created_at - interval '1 minute' AND bidding_opens_at >= created_at - interval '1 minute'
    AND registration_opens_at >= timestamptz '2000-01-01 00:00:00Z'
    AND scheduled_close_at <= created_at + interval '366 days') NOT VALID`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE listings DROP CONSTRAINT IF EXISTS listings_start_not_past`);
  await knex.raw(`ALTER TABLE instruments DROP CONSTRAINT IF EXISTS instruments_listing_minimums,
    DROP COLUMN IF EXISTS listing_min_bidding_days, DROP COLUMN IF EXISTS listing_min_registration_days`);
}
