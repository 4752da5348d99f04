import { createHash } from 'node:crypto';
import { conflict } from '../errors.ts';

/**
 * A request's terms in canonical form (parsed values — ticks and lots, not the decimal strings
 * as typed), hashed: "61.0" and "61.00" are one request, any other term makes another.
 */
export function requestFingerprint(terms: ReadonlyArray<string | number | null>): string {
  return createHash('sha256').update(JSON.stringify(terms)).digest('base64url');
}

/**
 * Refuses a retry whose key names a request with other terms. A stored fingerprint of null
 * (a row written before fingerprints existed) cannot be compared and replays as before.
 */
export function ensureSameRequest(stored: string | null | undefined, fingerprint: string, key: string): void {
  if (stored && stored !== fingerprint) {
    throw conflict('IDEMPOTENCY_MISMATCH', `${key} was already used for a request with other terms; use a new key for a new request`);
  }
}
