import { loadConfig } from '../config.ts';
import { checkServices } from '../infra/preflight.ts';
import { createKnex } from '../infra/database.ts';
import { reconcile } from '../ledger/reconciliation.ts';

// npm run reconcile: prints each ledger check with its figures; exits 1 when any fails.
const config = loadConfig();
const problem = await checkServices(config.DATABASE_URL, config.REDIS_URL);
if (problem) {
  console.error(problem);
  process.exit(1);
}
const knex = createKnex(config.DATABASE_URL);
const report = await reconcile(knex);
for (const check of report.checks) {
  console.log(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}`);
  console.log(`      ${JSON.stringify(check.details)}`);
}
console.log(JSON.stringify({ ok: report.ok, checkedAt: report.checkedAt }));
await knex.destroy();
process.exit(report.ok ? 0 : 1);
