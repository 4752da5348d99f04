import type { Knex } from 'knex';

// Sealed listings stay sealed to staff too (issue 13). A regulator may look at a sealed
// listing's bids before the close only by breaking the glass: each look is a row here, with the
// reason, written in the same transaction as its audit entry, and the operator sees every one.
// Rows are never changed or removed, like the audit log.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('listing_break_glass', (t) => {
    t.bigIncrements('id');
    t.bigInteger('listing_id').notNullable().references('listings.id');
    t.bigInteger('user_id').notNullable().references('users.id');
    t.text('username').notNullable();
    t.text('reason').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['created_at']);
    t.index(['listing_id']);
  });
  await knex.raw(`ALTER TABLE listing_break_glass ADD CONSTRAINT listing_break_glass_reason CHECK (length(btrim(reason)) >= 5)`);
  await knex.raw(`CREATE TRIGGER listing_break_glass_append_only BEFORE UPDATE OR DELETE ON listing_break_glass FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
  // Bidder numbers (竞买号) are now drawn at random, from 4 to 6 digits, so they no longer tell
  // the order bidders registered in; those already given keep their number.
  await knex.raw(`ALTER TABLE listing_registrations ADD CONSTRAINT listing_registrations_bidder_no_digits CHECK (bidder_no BETWEEN 1000 AND 999999) NOT VALID`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE listing_registrations DROP CONSTRAINT IF EXISTS listing_registrations_bidder_no_digits`);
  await knex.schema.dropTableIfExists('listing_break_glass');
}
