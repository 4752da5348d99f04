import type { Knex } from 'knex';

// Trading sessions: a calendar per instrument (an instrument without one uses the default
// 09:30–11:30 and 13:00–15:00 Asia/Shanghai, weekdays), holidays, and one closing price per
// instrument and trading day, which becomes the next day's reference price. Session marks record
// what the platform did to an instrument on a day (opened its call auction, opened trading), so a
// restart tells the platform's own auction from anyone else's.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('trading_calendars', (t) => {
    t.text('symbol').primary().references('instruments.symbol');
    t.jsonb('sessions').notNullable();
    t.specificType('weekdays', 'integer[]').notNullable();
    t.integer('utc_offset_minutes').notNullable().defaultTo(480);
    t.integer('opening_auction_minutes').notNullable();
    t.integer('closing_vwap_minutes').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw(`ALTER TABLE trading_calendars ADD CONSTRAINT trading_calendars_figures CHECK (
    opening_auction_minutes >= 0 AND closing_vwap_minutes > 0 AND utc_offset_minutes BETWEEN -840 AND 840)`);

  await knex.schema.createTable('market_holidays', (t) => {
    t.bigIncrements('id');
    t.date('day').notNullable();
    // Null: a holiday for every instrument.
    t.text('symbol').references('instruments.symbol');
    t.text('name').notNullable();
  });
  await knex.raw(`CREATE UNIQUE INDEX market_holidays_day ON market_holidays (day, coalesce(symbol, ''))`);

  await knex.schema.createTable('daily_prices', (t) => {
    t.text('symbol').notNullable().references('instruments.symbol');
    t.date('trading_day').notNullable();
    t.specificType('close_price', 'numeric').notNullable();
    // vwap: volume-weighted over the session's last minutes; last: the day's last trade;
    // previous: nothing traded, the previous close (the reference price) carries over.
    t.text('method').notNullable().checkIn(['vwap', 'last', 'previous'], 'daily_prices_method');
    t.specificType('volume', 'numeric').notNullable();
    t.specificType('value', 'numeric').notNullable();
    t.integer('trades').notNullable();
    t.specificType('previous_reference', 'numeric').notNullable();
    t.timestamp('closed_at', { useTz: true }).notNullable();
    t.primary(['symbol', 'trading_day']);
  });
  await knex.raw(`ALTER TABLE daily_prices ADD CONSTRAINT daily_prices_figures CHECK (close_price > 0 AND volume >= 0 AND value >= 0 AND trades >= 0)`);

  await knex.schema.createTable('session_marks', (t) => {
    t.text('symbol').notNullable().references('instruments.symbol');
    t.date('trading_day').notNullable();
    t.text('mark').notNullable().checkIn(['opening_auction', 'open'], 'session_marks_mark');
    t.timestamp('at', { useTz: true }).notNullable();
    t.primary(['symbol', 'trading_day', 'mark']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['session_marks', 'daily_prices', 'market_holidays', 'trading_calendars']) await knex.schema.dropTableIfExists(table);
}
