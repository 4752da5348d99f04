import type { Knex } from 'knex';

// Market surveillance: the alerts its rules raise (kept, like the audit log, as the regulator's
// record of what the platform noticed and who looked at it) and the pairs of participants the
// operator has marked as related, whose trades with each other count as wash trades.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('alerts', (t) => {
    t.bigIncrements('id');
    t.text('rule').notNullable();
    t.text('severity').notNullable().checkIn(['info', 'warning', 'critical'], 'alerts_severity');
    t.text('symbol').notNullable().references('instruments.symbol');
    t.specificType('participant_ids', 'bigint[]').notNullable().defaultTo('{}');
    t.text('message').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    // What makes two alerts the same finding (e.g. one abnormal-price alert per instrument, day and
    // direction); a replay after a restart finds the key taken and raises nothing twice.
    t.text('dedupe_key').notNullable().unique();
    t.text('status').notNullable().defaultTo('open').checkIn(['open', 'acknowledged'], 'alerts_status');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('acknowledged_at', { useTz: true });
    t.bigInteger('acknowledged_by').references('users.id');
    t.text('acknowledgement_note');
    t.index(['status', 'id']);
    t.index(['rule', 'id']);
    t.index(['symbol', 'id']);
  });
  await knex.raw(`ALTER TABLE alerts ADD CONSTRAINT alerts_acknowledged CHECK (
    (status = 'acknowledged') = (acknowledged_at IS NOT NULL AND acknowledged_by IS NOT NULL AND acknowledgement_note IS NOT NULL))`);

  // One row per unordered pair, stored with the smaller id first so a pair cannot appear twice.
  await knex.schema.createTable('related_participants', (t) => {
    t.bigInteger('participant_a').notNullable().references('participants.id');
    t.bigInteger('participant_b').notNullable().references('participants.id');
    t.text('reason').notNullable();
    t.bigInteger('created_by').notNullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['participant_a', 'participant_b']);
  });
  await knex.raw(`ALTER TABLE related_participants ADD CONSTRAINT related_participants_ordered CHECK (participant_a < participant_b)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('related_participants');
  await knex.schema.dropTableIfExists('alerts');
}
