/**
 * True when PostgreSQL refused a write on a unique key (SQLSTATE 23505), optionally a named one.
 * Unique keys are how this codebase makes "at most once" hold under concurrency; this is how a
 * caller turns the loser of such a race into an answer instead of a 500.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
