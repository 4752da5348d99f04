import type { Knex } from 'knex';

// Sessions that can be cut. A sign-in opens a row in auth_sessions; its access tokens (minutes)
// name the session, and every request checks the row is live, so revoking it ends every token at
// once. The refresh token lives only as a SHA-256 in auth_refresh_tokens: each refresh spends one
// row (used_at set by an UPDATE guarded on used_at IS NULL, so two parallel refreshes cannot both
// rotate) and writes its successor. A spent token presented again after the grace for parallel
// tabs is a stolen copy or a replay: the whole session is revoked.
//
// users.disabled_at cuts one user without suspending the participant; must_change_password is set
// by a forced reset and cleared by the user's own change.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE users ADD COLUMN disabled_at timestamptz`);
  await knex.raw(`ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false`);
  await knex.raw(`ALTER TABLE users ADD COLUMN password_changed_at timestamptz`);

  await knex.raw(`
    CREATE TABLE auth_sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id bigint NOT NULL REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      refreshed_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      revoked_reason text CONSTRAINT auth_sessions_reason CHECK (revoked_reason IN ('logout', 'refresh_reuse', 'role_change', 'disabled', 'password_change', 'password_reset', 'participant_suspended')),
      user_agent text,
      CONSTRAINT auth_sessions_reason_iff_revoked CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
    )`);
  await knex.raw(`CREATE INDEX auth_sessions_live_by_user ON auth_sessions (user_id) WHERE revoked_at IS NULL`);

  await knex.raw(`
    CREATE TABLE auth_refresh_tokens (
      id bigserial PRIMARY KEY,
      session_id uuid NOT NULL REFERENCES auth_sessions(id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      used_at timestamptz
    )`);
  // One unspent refresh token per session: a rotation that did not spend its parent cannot add a second.
  await knex.raw(`CREATE UNIQUE INDEX auth_refresh_tokens_one_unspent ON auth_refresh_tokens (session_id) WHERE used_at IS NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE auth_refresh_tokens`);
  await knex.raw(`DROP TABLE auth_sessions`);
  await knex.raw(`ALTER TABLE users DROP COLUMN password_changed_at, DROP COLUMN must_change_password, DROP COLUMN disabled_at`);
}
