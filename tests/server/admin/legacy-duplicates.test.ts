import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKnex, dropDatabase, ensureDatabase, migrateToLatest } from '../../../server/infra/database.ts';
import { migrationSource } from '../../../migrations/index.ts';
import { reconcile } from '../../../server/ledger/reconciliation.ts';

// A database credited twice for one bank reference before the unique key existed still migrates
// (its append-only journal is not rewritten); the key covers the first credit of every reference,
// so no third one gets in, and reconciliation names the repeat for a correcting entry. Usernames
// that differ only in case are kept the same way.

const url = `postgres://postgres@127.0.0.1:5432/ecorights_test_legacy_dup_${randomBytes(4).toString('hex')}`;
let knex: Knex;

beforeAll(async () => {
  await ensureDatabase(url);
  knex = createKnex(url, 2);
});
afterAll(async () => {
  await knex?.destroy();
  await dropDatabase(url);
});

it('migrates a journal with a repeated deposit reference and look-alike usernames, and refuses further ones', async () => {
  // Everything up to the migration before the unique key.
  await knex.migrate.up({ migrationSource });
  for (;;) {
    const [, pending] = (await knex.migrate.list({ migrationSource })) as [unknown[], Array<[name: string, module: unknown]>];
    if (!pending[0] || pending[0][0] === '20261205000100_money_idempotency') break;
    await knex.migrate.up({ migrationSource });
  }
  const insertDeposit = (reference: string) => knex.raw(`INSERT INTO journal_transfers (kind, reference) VALUES ('deposit', ?)`, [reference]);
  await insertDeposit('deposit:TWICE');
  await insertDeposit('deposit:TWICE');
  await insertDeposit('deposit:ONCE');
  const insertUser = (username: string) => knex.raw(`INSERT INTO users (username, password_hash, role) VALUES (?, 'x', 'regulator')`, [username]);
  await insertUser('inspector');
  await insertUser('Inspector');

  await migrateToLatest(knex);

  await expect(insertDeposit('deposit:TWICE')).rejects.toMatchObject({ code: '23505', constraint: 'journal_transfers_external_reference' });
  await expect(insertDeposit('deposit:ONCE')).rejects.toMatchObject({ code: '23505' });
  await insertDeposit('deposit:NEW');
  // Both look-alike accounts are kept (their owners sign in with them); no third spelling.
  expect(await knex('users').whereRaw(`lower(username) = 'inspector'`).orderBy('id').pluck('username')).toEqual(['inspector', 'Inspector']);
  await expect(insertUser('INSPECTOR')).rejects.toMatchObject({ code: '23505', constraint: 'users_username_lower' });
  const check = (await reconcile(knex)).checks.find((c) => c.name === 'each bank reference moved cash once');
  expect(check).toMatchObject({ ok: false, details: { repeated: [{ kind: 'deposit', reference: 'deposit:TWICE', transfers: '2' }] } });
});
