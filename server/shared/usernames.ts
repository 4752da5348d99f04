import type { Knex } from 'knex';

/**
 * Matches a username whatever its case — how users(lower(username)) is unique, so a lookup
 * agrees with the index that refuses `Operator` beside `operator` (and can use it).
 */
export const sameUsername =
  (username: string, column = 'username') =>
  (query: Knex.QueryBuilder): void => {
    query.whereRaw(`lower(??) = lower(?)`, [column, username]);
  };
