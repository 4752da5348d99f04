import type { Knex } from 'knex';

// A bank reference is one bank transfer: the journal may hold at most one deposit (or
// withdrawal) per external reference. The unique index is the guard, taken by the INSERT of the
// transfer inside the transaction that moves the money, so parallel confirmations of one
// reference wait for each other and all but one fail — a check before the write cannot do that
// under READ COMMITTED.
//
// Lot registrations are unique per (symbol, verification_ref) in `lots` already, inside the same
// transaction; their journal reference stays out of this index because one verification document
// may back lots of several instruments.
//
// A database that was hit before this index existed may already hold duplicate credits. The
// journal is append-only, so they are not rewritten here: the later duplicates are named in the
// index predicate and stay outside it, while the first transfer of each reference is covered and
// blocks any new one. Reconciliation reports them for a correcting entry.
const KINDS = `('deposit', 'withdrawal')`;

export async function up(knex: Knex): Promise<void> {
  const { rows } = await knex.raw<{ rows: Array<{ id: string }> }>(`
    SELECT id::text FROM (
      SELECT id, row_number() OVER (PARTITION BY kind, reference ORDER BY id) AS n
        FROM journal_transfers WHERE kind IN ${KINDS}
    ) ranked WHERE n > 1 ORDER BY id`);
  const legacy = rows.map((r) => BigInt(r.id).toString());
  const exempt = legacy.length > 0 ? ` AND id NOT IN (${legacy.join(', ')})` : '';
  await knex.raw(`CREATE UNIQUE INDEX journal_transfers_external_reference ON journal_transfers (kind, reference) WHERE kind IN ${KINDS}${exempt}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS journal_transfers_external_reference`);
}
