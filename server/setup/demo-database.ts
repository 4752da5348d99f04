import type { Knex } from 'knex';

// A demo database is one the demo seeder created: it alone holds the published demo passwords,
// and it says so in platform_settings. Nothing else makes a database a demo — not DEMO=auto,
// not the presence of users named like the demo's.

export interface DemoUser {
  username: string;
  password: string;
  role: string;
  participantName: string | null;
}

export interface DemoMark {
  createdAt: string;
  users: DemoUser[];
}

const KEY = 'demo_database';

/** Written in the transaction that creates the first demo user; a second mark is an error. */
export async function markDemoDatabase(trx: Knex.Transaction, users: DemoUser[]): Promise<void> {
  const mark: DemoMark = { createdAt: new Date().toISOString(), users };
  await trx('platform_settings').insert({ key: KEY, value: JSON.stringify(mark) });
}

export async function readDemoMark(knex: Knex): Promise<DemoMark | null> {
  const row = await knex('platform_settings').where({ key: KEY }).first<{ value: string } | undefined>('value');
  return row ? (JSON.parse(row.value) as DemoMark) : null;
}

/** No user and no participant: the only database the demo seeder may fill. */
export async function databaseIsEmpty(knex: Knex): Promise<boolean> {
  const [user, participant] = await Promise.all([knex('users').first('id'), knex('participants').first('id')]);
  return !user && !participant;
}

/** Which of these users have set a password since they were created (changed or reset). */
export async function usersWithChangedPassword(knex: Knex, usernames: string[]): Promise<Set<string>> {
  return new Set(await knex('users').whereIn('username', usernames).whereNotNull('password_changed_at').pluck<string[]>('username'));
}
