import { loadConfig } from '../config.ts';
import { checkServices } from '../infra/preflight.ts';
import { createKnex, migrateDownAll, migrateToLatest } from '../infra/database.ts';

// npm run migrate [-- down]: applies (or rolls back) every migration.
const config = loadConfig();
const problem = await checkServices(config.DATABASE_URL, config.REDIS_URL);
if (problem) {
  console.error(problem);
  process.exit(1);
}
const knex = createKnex(config.DATABASE_URL);
if (process.argv[2] === 'down') await migrateDownAll(knex);
else await migrateToLatest(knex);
console.log(`migrations ${process.argv[2] === 'down' ? 'rolled back' : 'applied'}`);
await knex.destroy();
