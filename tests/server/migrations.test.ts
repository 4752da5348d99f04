import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnex, dropDatabase, ensureDatabase, migrateDownAll, migrateToLatest } from '../../server/infra/database.ts';
import { migrationSource } from '../../migrations/index.ts';
import { beijingDate, startOfBeijingDay } from '../../server/shared/beijing-time.ts';

// Issue 2, Build 3: knex migrations, up and down, on a database of their own.

const url = `postgres://postgres@127.0.0.1:5432/ecorights_test_migrations_${randomBytes(4).toString('hex')}`;
let knex: Knex;

beforeAll(async () => {
  await ensureDatabase(url);
  knex = createKnex(url, 2);
});
afterAll(async () => {
  await knex?.destroy();
  await dropDatabase(url);
});

const rows = async <T>(sql: string) => (await knex.raw<{ rows: T[] }>(sql)).rows;

/** Everything the migrations define in the public schema, in a comparable form. */
async function schema() {
  return {
    tables: (await rows<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map((r) => r.t),
    columns: await rows(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`),
    constraints: await rows(`SELECT conrelid::regclass::text AS rel, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`),
    indexes: await rows(`SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS def FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'public'::regnamespace ORDER BY 1`),
    triggers: await rows(`SELECT tgrelid::regclass::text AS rel, tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`),
    functions: await rows(`SELECT proname, pg_get_functiondef(oid) AS def FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1`),
    sequences: (await rows<{ s: string }>(`SELECT sequencename AS s FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`)).map((r) => r.s),
    types: (await rows<{ t: string }>(`SELECT typname AS t FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype IN ('e', 'd', 'c') AND typrelid = 0 ORDER BY 1`)).map((r) => r.t),
  };
}

const KNEX_OWN = ['knex_migrations', 'knex_migrations_lock'];
const CORE_TABLES = ['accounts', 'audit_log', 'instruments', 'journal_transfers', 'lots', 'orders', 'participants', 'platform_settings', 'postings', 'settlement_outbox', 'settlements', 'trades', 'users'];

describe('migrations', () => {
  it('go up on a fresh database, down to nothing, and up again to the same schema', async () => {
    const empty = await schema();
    expect(empty.tables).toEqual([]);

    await migrateToLatest(knex);
    const first = await schema();
    expect(first.tables).toEqual(expect.arrayContaining([...CORE_TABLES, ...KNEX_OWN]));
    const [, pending] = (await knex.migrate.list({ migrationSource })) as [unknown[], unknown[]];
    expect(pending).toEqual([]);
    // The ledger's guards are part of the schema.
    expect(first.constraints.map((c) => (c as { conname: string }).conname)).toEqual(expect.arrayContaining(['accounts_non_negative', 'postings_non_zero', 'settlements_pkey']));
    expect(first.triggers.map((t) => (t as { tgname: string }).tgname)).toEqual(
      expect.arrayContaining(['postings_balance', 'postings_append_only', 'journal_transfers_append_only', 'audit_log_append_only']),
    );

    // Latest again is a no-op.
    await migrateToLatest(knex);
    expect(await schema()).toEqual(first);

    await migrateDownAll(knex);
    const down = await schema();
    expect(down.tables).toEqual(KNEX_OWN);
    expect({ functions: down.functions, triggers: down.triggers, types: down.types }).toEqual({ functions: [], triggers: [], types: [] });
    expect(down.sequences.filter((s) => !s.startsWith('knex_migrations'))).toEqual([]);
    expect(await knex('knex_migrations').count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);

    await migrateToLatest(knex);
    expect(await schema()).toEqual(first);
  });

  it('leave a schema that works: the balance check refuses an unbalanced transfer after the second up', async () => {
    await knex('platform_settings').insert({ key: 'probe', value: 'ok' });
    const [account] = await knex('accounts').insert({ system_role: 'bank', asset: 'CNY' }).returning<Array<{ id: string }>>('id');
    const refusal = await knex
      .transaction(async (trx) => {
        const [t] = await trx('journal_transfers').insert({ kind: 'deposit', reference: 'probe' }).returning<Array<{ id: string }>>('id');
        await trx('postings').insert({ transfer_id: t!.id, account_id: account!.id, asset: 'CNY', amount: '1.00' });
      })
      .then(
        () => 'accepted',
        (error: Error) => error.message,
      );
    expect(refusal).toMatch(/does not balance/);
  });

  it('count Beijing days in SQL as the server does: beijing_day turns over at 16:00:00Z', async () => {
    const instants = ['2026-12-03T15:59:59.999Z', '2026-12-03T16:00:00.000Z', '2026-12-31T16:00:00.000Z'];
    const days = await rows<{ day: string; start: Date }>(
      `SELECT to_char(beijing_day(x::timestamptz), 'YYYY-MM-DD') AS day, beijing_day_start(beijing_day(x::timestamptz)) AS start FROM unnest('{${instants.join(',')}}'::text[]) x`,
    );
    expect(days.map((d) => d.day)).toEqual(instants.map((i) => beijingDate(new Date(i))));
    expect(days.map((d) => d.start)).toEqual(days.map((d) => startOfBeijingDay(d.day)));
  });
});
