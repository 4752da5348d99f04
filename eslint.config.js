import fs from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import project from './.eslint-rules/index.js';

// Boundaries the code keeps (issue 14): no import cycles; client code flows shared → features →
// app and features do not import each other; the client takes only types from contract/; matching/ and the shared rules (contract/) import
// nothing of server or client; route files do HTTP only and leave SQL to their *-queries.ts.

const FEATURES_DIR = 'client/src/features';
const features = fs.existsSync(FEATURES_DIR)
  ? fs.readdirSync(FEATURES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
  : [];

const restrictedPaths = [
  { target: './matching', from: ['./server', './client', './contract'], message: 'matching/ is pure: it imports nothing of server, client or contract' },
  { target: './contract', from: ['./server', './client'], message: 'contract/ is shared by server and client: it imports neither' },
  { target: './client', from: './server', message: 'the client never imports server code (shared types live in contract/)' },
  { target: './client/src/shared', from: ['./client/src/features', './client/src/app'], message: 'client/src/shared is imported by features and app, never the other way' },
  { target: './client/src/features', from: './client/src/app', message: 'features do not import the app shell' },
  ...features.map((f) => ({
    target: `./${FEATURES_DIR}/${f}`,
    from: `./${FEATURES_DIR}`,
    except: [`./${f}`],
    message: 'a client feature does not import another feature: move what both need to client/src/shared',
  })),
];

// Calls on a knex handle (`knex(…)`, `knex.raw(…)`, `app.platform.knex(…)`, `trx(…)`) build
// SQL. A route passes the handle on to its feature's queries or service; it does not call it.
const SQL_IN_ROUTE = 'route files are HTTP only: put the SQL in the feature\'s *-queries.ts (taking Knex | Knex.Transaction) and call that';
const sqlCalls = [
  "CallExpression[callee.type='Identifier'][callee.name=/^(knex|trx|db)$/]",
  "CallExpression[callee.type='MemberExpression'][callee.object.type='Identifier'][callee.object.name=/^(knex|trx|db)$/]",
  "CallExpression[callee.type='MemberExpression'][callee.property.name='knex']",
  "CallExpression[callee.type='MemberExpression'][callee.object.type='MemberExpression'][callee.object.property.name='knex']",
].map((selector) => ({ selector, message: SQL_IN_ROUTE }));

export default tseslint.config(
  { ignores: ['node_modules', 'client/dist', 'coverage', 'test-artifacts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['server/**/*.ts', 'client/**/*.{ts,tsx}', 'matching/**/*.ts', 'contract/**/*.ts'],
    plugins: { 'import-x': importX, project },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      // Not import-x/no-cycle: it skips type-only imports, and a cycle through types still ties
      // two modules together (.eslint-rules/index.js). The whole graph is read once per run.
      'project/no-import-cycle': ['error', { dirs: ['server', 'client', 'matching', 'contract'] }],
      'import-x/no-restricted-paths': ['error', { zones: restrictedPaths }],
    },
  },
  {
    // Pure rules both sides apply may be imported as values: contract/rules/, the listing
    // windows rule that predates it (to move there once the listing work in flight has landed),
    // and the report's words (plain data the page and the server's XLSX/PDF both show).
    files: ['client/**/*.{ts,tsx}'],
    plugins: { project },
    rules: { 'project/contract-types-only': ['error', { contract: 'contract', valuesFrom: ['contract/rules', 'contract/listing-windows.ts', 'contract/report-labels.ts', 'contract/lot-submission-rules.ts'] }] },
  },
  {
    files: ['server/**/*-routes.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['knex', 'pg'].map((name) => ({ name, message: SQL_IN_ROUTE })),
      }],
      'no-restricted-syntax': ['error', ...sqlCalls],
    },
  },
);
