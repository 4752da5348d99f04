import type { Knex } from 'knex';

// A county bureau's lot goes through submission, review and a second operator's approval before
// any quantity exists. The rules that must hold whatever the code does live here:
// - four eyes: approved_by <> reviewed_by, a CHECK, so no code path can approve its own review;
// - a filing number (备案编号) backs one live submission: a partial unique index over every
//   status but withdrawn (a rejected one keeps it while it can be corrected and resubmitted);
// - a plot (图斑) backs one live submission per indicator type: lot_plot_claims, whose rows a
//   withdrawal deletes (claims are a lock, not history; the audit chain keeps the history).
// Documents are stored as bytes in stored_files by default (or in an S3 store, see server/storage).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lot_submissions', (t) => {
    t.bigIncrements('id');
    t.bigInteger('participant_id').notNullable().references('participants.id');
    t.bigInteger('submitted_by').notNullable().references('users.id');
    t.text('symbol').notNullable().references('instruments.symbol');
    t.text('indicator_type').notNullable();
    t.specificType('quantity', 'numeric').notNullable();
    t.text('division_code').notNullable();
    t.text('region').notNullable();
    t.text('source_project').notNullable();
    t.text('acceptance_no').notNullable();
    t.text('filing_no').notNullable();
    t.integer('quality_grade');
    t.text('land_type');
    t.specificType('plot_ids', 'text[]').notNullable();
    t.integer('vintage').notNullable();
    t.text('status').notNullable().defaultTo('submitted').checkIn(['submitted', 'reviewed', 'rejected', 'approved', 'withdrawn'], 'lot_submissions_status');
    t.integer('revision').notNullable().defaultTo(1);
    t.bigInteger('reviewed_by').references('users.id');
    t.timestamp('reviewed_at', { useTz: true });
    t.text('review_reason');
    t.bigInteger('approved_by').references('users.id');
    t.timestamp('approved_at', { useTz: true });
    t.bigInteger('lot_id').references('lots.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE lot_submissions ADD CONSTRAINT lot_submissions_positive CHECK (quantity > 0)`);
  await knex.raw(`ALTER TABLE lot_submissions ADD CONSTRAINT lot_submissions_four_eyes CHECK (approved_by IS NULL OR (reviewed_by IS NOT NULL AND approved_by <> reviewed_by))`);
  await knex.raw(`ALTER TABLE lot_submissions ADD CONSTRAINT lot_submissions_approved_has_lot CHECK ((status = 'approved') = (lot_id IS NOT NULL AND approved_by IS NOT NULL))`);
  await knex.raw(`ALTER TABLE lot_submissions ADD CONSTRAINT lot_submissions_grade CHECK (quality_grade IS NULL OR quality_grade BETWEEN 1 AND 15)`);
  await knex.raw(`ALTER TABLE lot_submissions ADD CONSTRAINT lot_submissions_has_plots CHECK (cardinality(plot_ids) >= 1)`);
  await knex.raw(`CREATE UNIQUE INDEX lot_submissions_live_filing ON lot_submissions (filing_no) WHERE status <> 'withdrawn'`);
  await knex.raw(`CREATE UNIQUE INDEX lot_submissions_lot ON lot_submissions (lot_id) WHERE lot_id IS NOT NULL`);
  await knex.raw(`CREATE INDEX lot_submissions_participant ON lot_submissions (participant_id, id)`);
  await knex.raw(`CREATE INDEX lot_submissions_status ON lot_submissions (status, id)`);

  await knex.schema.createTable('lot_plot_claims', (t) => {
    t.text('indicator_type').notNullable();
    t.text('plot_id').notNullable();
    t.bigInteger('submission_id').notNullable().references('lot_submissions.id');
    t.primary(['indicator_type', 'plot_id'], { constraintName: 'lot_plot_claims_unique' });
  });

  await knex.schema.createTable('stored_files', (t) => {
    t.text('key').primary();
    t.binary('bytes').notNullable();
    t.text('content_type').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('lot_documents', (t) => {
    t.bigIncrements('id');
    t.bigInteger('submission_id').notNullable().references('lot_submissions.id');
    t.text('kind').notNullable().checkIn(['acceptance', 'filing', 'consent'], 'lot_documents_kind');
    t.text('file_name').notNullable();
    t.text('content_type').notNullable().checkIn(['application/pdf', 'image/jpeg', 'image/png'], 'lot_documents_type');
    t.bigInteger('size_bytes').notNullable();
    t.text('sha256').notNullable();
    t.text('storage_key').notNullable().unique();
    t.integer('revision').notNullable();
    // A corrected resubmission replaces a document; the old one stays for the record.
    t.timestamp('superseded_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE lot_documents ADD CONSTRAINT lot_documents_size CHECK (size_bytes > 0 AND size_bytes <= 20 * 1024 * 1024)`);
  await knex.raw(`ALTER TABLE lot_documents ADD CONSTRAINT lot_documents_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$')`);
  await knex.raw(`CREATE UNIQUE INDEX lot_documents_current ON lot_documents (submission_id, kind) WHERE superseded_at IS NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('lot_documents');
  await knex.schema.dropTableIfExists('stored_files');
  await knex.schema.dropTableIfExists('lot_plot_claims');
  await knex.schema.dropTableIfExists('lot_submissions');
}
