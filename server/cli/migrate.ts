import { migrateDownAll, migrateToLatest } from '../infra/database.ts';
import { openCliDatabase } from './cli-database.ts';

// npm run migrate [-- down]: applies (or rolls back) every migration.
const knex = await openCliDatabase();
if (process.argv[2] === 'down') await migrateDownAll(knex);
else await migrateToLatest(knex);
console.log(`migrations ${process.argv[2] === 'down' ? 'rolled back' : 'applied'}`);
await knex.destroy();
