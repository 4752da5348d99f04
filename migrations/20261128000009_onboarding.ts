import type { Knex } from 'knex';

// Participant onboarding: legal persons apply with their unified social credit code
// (统一社会信用代码); the operator approves (which admits the participant) or rejects with a
// reason. A participant has several users, each with a role inside it: participant admin
// (manages its users, trades), trader, or viewer (reads only).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('participants', (t) => {
    t.text('credit_code').unique();
    t.text('contact_name');
    t.text('contact_phone');
    t.text('contact_email');
    t.text('status_reason');
  });

  await knex.raw(`ALTER TABLE users ADD COLUMN participant_role text CONSTRAINT users_participant_role CHECK (participant_role IN ('admin', 'trader', 'viewer'))`);
  await knex.raw(`UPDATE users SET participant_role = 'admin' WHERE role = 'participant'`);
  // A participant's first user, admitted before roles existed or by the operator's direct
  // admission, administers it.
  await knex.raw(`
    CREATE FUNCTION users_participant_role_default() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.role = 'participant' AND NEW.participant_role IS NULL THEN NEW.participant_role := 'admin'; END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER users_participant_role_default BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION users_participant_role_default()`);
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_participant_role_iff CHECK ((role = 'participant') = (participant_role IS NOT NULL))`);

  await knex.schema.createTable('participant_applications', (t) => {
    t.bigIncrements('id');
    t.text('legal_name').notNullable();
    t.text('credit_code').notNullable();
    t.text('kind').notNullable().checkIn(['government', 'enterprise'], 'participant_applications_kind');
    t.text('region').notNullable();
    t.text('prefecture').notNullable();
    t.text('contact_name').notNullable();
    t.text('contact_phone').notNullable();
    t.text('contact_email');
    // The applicant's first user, created as participant admin on approval.
    t.text('username').notNullable();
    t.text('password_hash').notNullable();
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'approved', 'rejected'], 'participant_applications_status');
    t.text('decision_reason');
    t.bigInteger('decided_by').references('users.id');
    t.timestamp('decided_at', { useTz: true });
    t.bigInteger('participant_id').references('participants.id');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['status', 'id']);
  });
  // One live application per entity and per requested username; a rejected one may be made again.
  await knex.raw(`CREATE UNIQUE INDEX participant_applications_live_code ON participant_applications (credit_code) WHERE status <> 'rejected'`);
  await knex.raw(`CREATE UNIQUE INDEX participant_applications_live_username ON participant_applications (username) WHERE status = 'pending'`);
  await knex.raw(`ALTER TABLE participant_applications ADD CONSTRAINT participant_applications_decision CHECK (
    (status = 'pending') = (decided_at IS NULL) AND (status <> 'approved' OR participant_id IS NOT NULL)
    AND (status <> 'rejected' OR decision_reason IS NOT NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('participant_applications');
  await knex.raw(`ALTER TABLE users DROP CONSTRAINT IF EXISTS users_participant_role_iff`);
  await knex.raw(`DROP TRIGGER IF EXISTS users_participant_role_default ON users`);
  await knex.raw(`DROP FUNCTION IF EXISTS users_participant_role_default()`);
  await knex.raw(`ALTER TABLE users DROP COLUMN IF EXISTS participant_role`);
  await knex.schema.alterTable('participants', (t) => {
    t.dropColumn('credit_code');
    t.dropColumn('contact_name');
    t.dropColumn('contact_phone');
    t.dropColumn('contact_email');
    t.dropColumn('status_reason');
  });
}
