import type { Knex } from 'knex';

// 20261205000300 and …310 guarded new listings (no start before creation, no absurd dates) and new
// bidder numbers (4 to 6 digits) with NOT VALID checks. PostgreSQL enforces a NOT VALID check on
// every later UPDATE too, so a listing or registration made before them could no longer be bid on,
// won or closed. The same rules as insert triggers bind only the rows written from now on.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE listings DROP CONSTRAINT IF EXISTS listings_start_not_past`);
  await knex.raw(`ALTER TABLE listing_registrations DROP CONSTRAINT IF EXISTS listing_registrations_bidder_no_digits`);
  // The minute of grace is the time a request takes (START_TOLERANCE_MS in contract/listing-windows.ts).
  await knex.raw(`
    CREATE FUNCTION listings_start_not_past() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.registration_opens_at < NEW.created_at - interval '1 minute' OR NEW.bidding_opens_at < NEW.created_at - interval '1 minute' THEN
        RAISE EXCEPTION 'listings_start_not_past: a listing cannot start before it is created' USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.registration_opens_at < timestamptz '2000-01-01 00:00:00Z' OR NEW.scheduled_close_at > NEW.created_at + interval '366 days' THEN
        RAISE EXCEPTION 'listings_start_not_past: listing dates out of range' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER listings_start_not_past BEFORE INSERT ON listings FOR EACH ROW EXECUTE FUNCTION listings_start_not_past()`);
  await knex.raw(`
    CREATE FUNCTION listing_registrations_bidder_no_digits() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.bidder_no NOT BETWEEN 1000 AND 999999 THEN
        RAISE EXCEPTION 'listing_registrations_bidder_no_digits: a bidder number has 4 to 6 digits' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(
    `CREATE TRIGGER listing_registrations_bidder_no_digits BEFORE INSERT ON listing_registrations FOR EACH ROW EXECUTE FUNCTION listing_registrations_bidder_no_digits()`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TRIGGER IF EXISTS listing_registrations_bidder_no_digits ON listing_registrations`);
  await knex.raw(`DROP FUNCTION IF EXISTS listing_registrations_bidder_no_digits()`);
  await knex.raw(`DROP TRIGGER IF EXISTS listings_start_not_past ON listings`);
  await knex.raw(`DROP FUNCTION IF EXISTS listings_start_not_past()`);
  await knex.raw(`ALTER TABLE listing_registrations ADD CONSTRAINT listing_registrations_bidder_no_digits CHECK (bidder_no BETWEEN 1000 AND 999999) NOT VALID`);
  await knex.raw(`ALTER TABLE listings ADD CONSTRAINT listings_start_not_past CHECK (
    registration_opens_at >= created_at - interval '1 minute' AND bidding_opens_at >= created_at - interval '1 minute'
    AND registration_opens_at >= timestamptz '2000-01-01 00:00:00Z'
    AND scheduled_close_at <= created_at + interval '366 days') NOT VALID`);
}
