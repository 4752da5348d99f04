import type { Knex } from 'knex';

/**
 * A JS array bound as one PostgreSQL array parameter (for `unnest(?::type[])`). knex's types
 * accept only arrays without nulls, though node-postgres sends NULL elements just fine.
 */
export const sqlArray = (values: ReadonlyArray<unknown>): Knex.Value => values as unknown as Knex.Value;
