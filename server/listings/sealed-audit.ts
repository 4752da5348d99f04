import type { Knex } from 'knex';

// The audit log records every registration and bid, and the engine every margin reservation and
// top-up (whose amounts are bid prices in disguise). For a sealed listing before its result
// these rows would tell a reader who bid and how much, so the audit views leave them out until
// the close; they stay in the chain (`/api/regulator/audit/verify` still checks them), and a
// regulator who must see them breaks the glass.

const SEALED_LISTING = `l.mode = 'sealed' AND l.status IN ('open', 'closing')`;
const SUBJECT_ID = `CASE WHEN split_part(a.subject, ':', 2) ~ '^[0-9]{1,18}$' THEN split_part(a.subject, ':', 2)::bigint END`;

/** Narrows an `audit_log as a` query to what may be shown while sealed listings are open. */
export function withoutSealedListingActivity<T extends Knex.QueryBuilder>(query: T, knex: Knex | Knex.Transaction): T {
  return query.whereNot((q) =>
    q
      .where((inner) =>
        inner
          .whereIn('a.action', ['listing.register', 'listing.bid', 'listing.withdraw'])
          .whereExists(knex.select(1).from('listings as l').whereRaw(`a.subject LIKE 'listing:%' AND l.id = ${SUBJECT_ID} AND ${SEALED_LISTING}`)),
      )
      .orWhere((inner) =>
        inner.whereExists(
          knex
            .select(1)
            .from('reservations as r')
            .join('listings as l', knex.raw(`r.reference = 'listing:' || l.id`))
            .whereRaw(`a.subject LIKE 'reservation:%' AND r.id = ${SUBJECT_ID} AND r.purpose = 'listing_margin' AND ${SEALED_LISTING}`),
        ),
      ),
  ) as T;
}
