import type { Knex } from 'knex';
import type { LotDocumentKind, LotSubmissionQuery, LotSubmissionStatus } from '../../contract/lot-submissions.ts';
import type { SubmissionTerms } from './lot-submission-rules.ts';

type Db = Knex | Knex.Transaction;

export interface SubmissionRow {
  id: string;
  participant_id: string;
  participant_name: string;
  submitted_by: string;
  submitted_by_name: string;
  symbol: string;
  indicator_type: string;
  quantity: string;
  division_code: string;
  region: string;
  source_project: string;
  acceptance_no: string;
  filing_no: string;
  quality_grade: number | null;
  land_type: string | null;
  plot_ids: string[];
  vintage: number;
  status: LotSubmissionStatus;
  revision: number;
  reviewed_by: string | null;
  reviewed_by_name: string | null;
  reviewed_at: Date | null;
  review_reason: string | null;
  approved_by: string | null;
  approved_by_name: string | null;
  approved_at: Date | null;
  lot_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface DocumentRow {
  id: string;
  submission_id: string;
  kind: LotDocumentKind;
  file_name: string;
  content_type: string;
  size_bytes: string;
  sha256: string;
  storage_key: string;
  revision: number;
  superseded_at: Date | null;
}

const termColumns = (t: SubmissionTerms) => ({
  symbol: t.symbol,
  indicator_type: t.indicatorType,
  quantity: t.quantity,
  division_code: t.divisionCode,
  region: t.region,
  source_project: t.sourceProject,
  acceptance_no: t.acceptanceNo,
  filing_no: t.filingNo,
  quality_grade: t.qualityGrade,
  land_type: t.landType,
  plot_ids: t.plotIds,
  vintage: t.vintage,
});

export async function insertSubmission(trx: Knex.Transaction, participantId: string, userId: string, terms: SubmissionTerms): Promise<string> {
  const [row] = await trx('lot_submissions').insert({ participant_id: participantId, submitted_by: userId, ...termColumns(terms) }).returning<Array<{ id: string }>>('id');
  return row!.id;
}

/** A corrected submission: new terms, back to awaiting review, the earlier review cleared. */
export async function reviseSubmission(trx: Knex.Transaction, id: string, terms: SubmissionTerms): Promise<void> {
  await trx('lot_submissions')
    .where({ id, status: 'rejected' })
    .update({ ...termColumns(terms), status: 'submitted', revision: trx.raw('revision + 1'), reviewed_by: null, reviewed_at: null, review_reason: null, updated_at: trx.fn.now() });
}

/** Claims each plot for this submission; the key (indicator_type, plot_id) refuses a plot already claimed. */
export async function claimPlots(trx: Knex.Transaction, submissionId: string, indicatorType: string, plotIds: string[]): Promise<void> {
  // One row at a time, so the refusal names the plot that is taken.
  for (const plotId of plotIds) {
    try {
      await trx('lot_plot_claims').insert({ indicator_type: indicatorType, plot_id: plotId, submission_id: submissionId });
    } catch (error) {
      (error as { plotId?: string }).plotId = plotId;
      throw error;
    }
  }
}

export async function releasePlots(trx: Knex.Transaction, submissionId: string): Promise<void> {
  await trx('lot_plot_claims').where({ submission_id: submissionId }).delete();
}

export async function insertDocument(trx: Knex.Transaction, row: Omit<DocumentRow, 'id' | 'superseded_at'>): Promise<void> {
  await trx('lot_documents').insert(row);
}

export async function supersedeDocument(trx: Knex.Transaction, submissionId: string, kind: LotDocumentKind): Promise<void> {
  await trx('lot_documents').where({ submission_id: submissionId, kind }).whereNull('superseded_at').update({ superseded_at: trx.fn.now() });
}

export async function lockSubmission(trx: Knex.Transaction, id: string): Promise<{ id: string; participant_id: string; status: LotSubmissionStatus; reviewed_by: string | null; revision: number } | undefined> {
  return trx('lot_submissions').where({ id }).forUpdate().first('id', 'participant_id', 'status', 'reviewed_by', 'revision');
}

export async function recordReview(trx: Knex.Transaction, id: string, status: 'reviewed' | 'rejected', userId: string, reason: string | null): Promise<void> {
  await trx('lot_submissions').where({ id }).update({ status, reviewed_by: userId, reviewed_at: trx.fn.now(), review_reason: reason, updated_at: trx.fn.now() });
}

export async function recordApproval(trx: Knex.Transaction, id: string, userId: string, lotId: string): Promise<void> {
  await trx('lot_submissions').where({ id }).update({ status: 'approved', approved_by: userId, approved_at: trx.fn.now(), lot_id: lotId, updated_at: trx.fn.now() });
}

export async function recordWithdrawal(trx: Knex.Transaction, id: string): Promise<void> {
  await trx('lot_submissions').where({ id }).update({ status: 'withdrawn', updated_at: trx.fn.now() });
}

function selectSubmissions(db: Db) {
  return db('lot_submissions as s')
    .join('participants as p', 'p.id', 's.participant_id')
    .join('users as su', 'su.id', 's.submitted_by')
    .leftJoin('users as ru', 'ru.id', 's.reviewed_by')
    .leftJoin('users as au', 'au.id', 's.approved_by')
    .select('s.*', 'p.name as participant_name', 'su.username as submitted_by_name', 'ru.username as reviewed_by_name', 'au.username as approved_by_name');
}

export interface SubmissionFilter extends Partial<LotSubmissionQuery> {
  participantId?: string;
  /** With queue=approval: leave out what this user reviewed (four eyes). */
  viewerUserId?: string;
}

export async function listSubmissions(db: Db, filter: SubmissionFilter): Promise<SubmissionRow[]> {
  const q = selectSubmissions(db).orderBy('s.id', 'desc').limit(filter.limit ?? 100);
  if (filter.participantId) q.where('s.participant_id', filter.participantId);
  if (filter.status) q.where('s.status', filter.status);
  if (filter.queue === 'review') q.where('s.status', 'submitted');
  if (filter.queue === 'approval') {
    q.where('s.status', 'reviewed');
    if (filter.viewerUserId) q.whereNot('s.reviewed_by', filter.viewerUserId);
  }
  return q as unknown as Promise<SubmissionRow[]>;
}

export async function submissionById(db: Db, id: string): Promise<SubmissionRow | undefined> {
  return (await selectSubmissions(db).where('s.id', id).first()) as SubmissionRow | undefined;
}

/** The current (not superseded) documents of these submissions. */
export async function currentDocuments(db: Db, submissionIds: string[]): Promise<DocumentRow[]> {
  if (submissionIds.length === 0) return [];
  return db('lot_documents').whereIn('submission_id', submissionIds).whereNull('superseded_at').orderBy('id').select<DocumentRow[]>('*');
}

export async function documentById(db: Db, submissionId: string, documentId: string): Promise<DocumentRow | undefined> {
  return db('lot_documents').where({ id: documentId, submission_id: submissionId }).first<DocumentRow | undefined>('*');
}
