import { conflict, type AppError } from '../errors.ts';

/**
 * True when PostgreSQL refused a write on a unique key (SQLSTATE 23505), optionally a named one.
 * Unique keys are how this codebase makes "at most once" hold under concurrency; this is how a
 * caller turns the loser of such a race into an answer instead of a 500.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

// Unique keys whose refusal means the same thing wherever it is hit, so the app answers them
// in one place rather than every route that can create such a row catching them.
const refusals: Record<string, () => AppError> = {
  users_username_lower: () => conflict('DUPLICATE_USERNAME', 'that username is taken (usernames are the same whatever their case)'),
  users_username_unique: () => conflict('DUPLICATE_USERNAME', 'that username is taken'),
};

/** The answer for a unique key listed above, or null for any other error. */
export function uniqueKeyRefusal(error: unknown): AppError | null {
  if (!isUniqueViolation(error)) return null;
  const make = refusals[String((error as { constraint?: unknown }).constraint)];
  return make ? make() : null;
}
