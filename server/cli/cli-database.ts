import type { Knex } from 'knex';
import { loadConfig } from '../config.ts';
import { checkServices } from '../infra/preflight.ts';
import { createKnex } from '../infra/database.ts';

/**
 * What every command-line tool starts with: the validated config, both services checked (one
 * clear line and exit 1 when one is down), and a database connection.
 */
export async function openCliDatabase(): Promise<Knex> {
  const config = loadConfig();
  const problem = await checkServices(config.DATABASE_URL, config.REDIS_URL);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  return createKnex(config.DATABASE_URL);
}
