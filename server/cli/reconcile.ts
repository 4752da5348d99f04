import { reconcile } from '../ledger/reconciliation.ts';
import { openCliDatabase } from './cli-database.ts';

// npm run reconcile: prints each ledger check with its figures; exits 1 when any fails.
const knex = await openCliDatabase();
const report = await reconcile(knex);
for (const check of report.checks) {
  console.log(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}`);
  console.log(`      ${JSON.stringify(check.details)}`);
}
console.log(JSON.stringify({ ok: report.ok, checkedAt: report.checkedAt }));
await knex.destroy();
process.exit(report.ok ? 0 : 1);
