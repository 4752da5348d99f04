import type { Knex } from 'knex';
import * as core from './20261128000001_core.ts';
import * as surveillance from './20261128000002_surveillance.ts';
import * as registry from './20261128000003_registry.ts';
import * as groupCommit from './20261128000004_group_commit.ts';
import * as offBook from './20261128000005_off_book.ts';
import * as listings from './20261128000006_listings.ts';
import * as blocks from './20261128000007_blocks.ts';
import * as sessions from './20261128000008_sessions.ts';
import * as onboarding from './20261128000009_onboarding.ts';
import * as ledgerGuards from './20261128000010_ledger_guards.ts';
import * as setupTokens from './20261203000400_setup_tokens.ts';
import * as homes from './20261203000700_homes.ts';
import * as moneyIdempotency from './20261205000100_money_idempotency.ts';
import * as usernameCase from './20261205000110_username_case.ts';
import * as requestFingerprints from './20261205000120_request_fingerprints.ts';
import * as authSessions from './20261205000200_auth_sessions.ts';
import * as listingWindows from './20261205000300_listing_windows.ts';
import * as listingBreakGlass from './20261205000310_listing_break_glass.ts';
import * as listingInsertChecks from './20261205000320_listing_insert_checks.ts';
import * as reportIndexes from './20261205000500_report_indexes.ts';
import * as demandListings from './20261207000400_demand_listings.ts';
import * as listingRules from './20261207000300_listing_rules.ts';
import * as lotControls from './20261207000200_lot_controls.ts';
import * as lotSubmissions from './20261207000100_lot_submissions.ts';

// Migrations are listed here rather than discovered on disk, so they load the same way under
// tsx, Vitest and any bundler. Append new ones in order; never edit one that has shipped.
const migrations: Array<[name: string, module: Knex.Migration]> = [
  ['20261128000001_core', core],
  ['20261128000002_surveillance', surveillance],
  ['20261128000003_registry', registry],
  ['20261128000004_group_commit', groupCommit],
  ['20261128000005_off_book', offBook],
  ['20261128000006_listings', listings],
  ['20261128000007_blocks', blocks],
  ['20261128000008_sessions', sessions],
  ['20261128000009_onboarding', onboarding],
  ['20261128000010_ledger_guards', ledgerGuards],
  ['20261203000400_setup_tokens', setupTokens],
  ['20261203000700_homes', homes],
  ['20261205000100_money_idempotency', moneyIdempotency],
  ['20261205000110_username_case', usernameCase],
  ['20261205000120_request_fingerprints', requestFingerprints],
  ['20261205000200_auth_sessions', authSessions],
  ['20261205000300_listing_windows', listingWindows],
  ['20261205000310_listing_break_glass', listingBreakGlass],
  ['20261205000320_listing_insert_checks', listingInsertChecks],
  ['20261205000500_report_indexes', reportIndexes],
  ['20261207000100_lot_submissions', lotSubmissions],
  ['20261207000200_lot_controls', lotControls],
  ['20261207000300_listing_rules', listingRules],
  ['20261207000400_demand_listings', demandListings],
];

export const migrationSource: Knex.MigrationSource<[string, Knex.Migration]> = {
  getMigrations: async () => migrations,
  getMigrationName: ([name]) => name,
  getMigration: async ([, module]) => module,
};
