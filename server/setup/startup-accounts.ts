import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { demoSeedingAllowed, type Config } from '../config.ts';
import { seedDemoData } from '../seed/demo-data.ts';
import { databaseIsEmpty, readDemoMark, type DemoUser } from './demo-database.ts';
import { prepareFirstOperator } from './first-operator.ts';

export interface StartupAccounts {
  demoDatabase: { createdAt: string } | null;
  demoUsers: DemoUser[];
}

/**
 * Who can sign in to the database this node opens. A demo start on an empty database seeds the
 * demo and marks it; a marked database stays a demo; any other database gets no demo user, ever,
 * and its first operator from the environment or a one-time setup token.
 */
export async function prepareStartupAccounts(app: FastifyInstance, knex: Knex, config: Config, progress: (line: string) => void): Promise<StartupAccounts> {
  const demoStart = demoSeedingAllowed(config);
  if (demoStart && (await databaseIsEmpty(knex))) {
    progress('seeding demo data');
    await seedDemoData(app, knex, (step) => progress(`  demo data: ${step}`));
  }
  const mark = await readDemoMark(knex);
  if (mark) {
    if (!demoStart) progress('warning: this database was created as a demo and its logins have published passwords; never use it for real trading');
    return { demoDatabase: { createdAt: mark.createdAt }, demoUsers: demoStart ? mark.users : [] };
  }
  await prepareFirstOperator(knex, config, progress);
  return { demoDatabase: null, demoUsers: [] };
}
