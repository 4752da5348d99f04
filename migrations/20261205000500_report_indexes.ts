import type { Knex } from 'knex';

// Reports read every trade of a period across all instruments. Trades arrive in time order, so a
// BRIN index on executed_at is a few pages, costs the insert path next to nothing, and lets a
// monthly report over a year of trades skip the other eleven months. autosummarize has autovacuum
// summarize each block range as it fills; a range not yet summarized is read whole, never missed.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX trades_executed_at_brin ON trades USING brin (executed_at) WITH (autosummarize = on)`);
  await knex.raw(`CREATE INDEX registry_actions_created_at ON registry_actions (created_at)`);
  await knex.raw(`CREATE INDEX alerts_created_at ON alerts (created_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS alerts_created_at`);
  await knex.raw(`DROP INDEX IF EXISTS registry_actions_created_at`);
  await knex.raw(`DROP INDEX IF EXISTS trades_executed_at_brin`);
}
