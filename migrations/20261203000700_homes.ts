import type { Knex } from 'knex';

// Two homes in the schema.
//
// The Beijing trading day: queries say beijing_day(ts) for the day an instant belongs to and
// beijing_day_start(day) for the instant a day begins, instead of restating the zone each time.
// Both are inverses over one zone with no daylight saving; they are IMMUTABLE (the zone is named,
// not read from the session), so the planner inlines them and a range built with
// beijing_day_start still uses the (symbol, executed_at) index.
//
// An off-book trade's reference ('block:<id>', 'listing-award:<id>'): the engine writes it on the
// trade row, so a close or confirmation that was interrupted after the engine answered finds its
// trade by the column, not through the audit log's JSON. One trade per reference and venue is a
// unique key, so a retried close can never trade twice. Trades made before the column existed get
// theirs from the audit row the engine wrote in the same commit.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION beijing_day(instant timestamptz) RETURNS date
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT (instant AT TIME ZONE 'Asia/Shanghai')::date $$`);
  await knex.raw(`
    CREATE FUNCTION beijing_day_start(day date) RETURNS timestamptz
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT day::timestamp AT TIME ZONE 'Asia/Shanghai' $$`);

  await knex.raw(`ALTER TABLE trades ADD COLUMN offbook_ref text
                    CONSTRAINT trades_offbook_ref CHECK (offbook_ref IS NULL OR venue <> 'book')`);
  await knex.raw(`
    UPDATE trades t SET offbook_ref = a.payload->>'reference'
      FROM audit_log a
     WHERE a.chain = 'engine' AND a.action = 'trade.' || t.venue AND a.subject = 'trade:' || t.id
       AND t.venue <> 'book'`);
  await knex.raw(`CREATE UNIQUE INDEX trades_offbook_ref_unique ON trades (venue, offbook_ref) WHERE offbook_ref IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS trades_offbook_ref_unique`);
  await knex.raw(`ALTER TABLE trades DROP COLUMN IF EXISTS offbook_ref`);
  await knex.raw(`DROP FUNCTION IF EXISTS beijing_day_start(date)`);
  await knex.raw(`DROP FUNCTION IF EXISTS beijing_day(timestamptz)`);
}
