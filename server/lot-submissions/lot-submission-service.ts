import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { badRequest, conflict, forbidden, notFound, unprocessable, type AppError } from '../errors.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { isUniqueViolation } from '../shared/unique-violation.ts';
import { duplicateLotRefusal, issueLot } from '../admin/lot-registration.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import type { MarketBus } from '../market/market-bus.ts';
import type { FileStore } from '../storage/file-store.ts';
import { LOT_DOCUMENT_KINDS, type LotDocumentKind, type LotSubmission, type ReviewBody } from '../../contract/lot-submissions.ts';
import type { LotUpload, UploadedDocument } from './lot-document-intake.ts';
import { submissionTerms, type SubmissionTerms } from './lot-submission-rules.ts';
import * as store from './lot-submission-store.ts';
import { submissionView } from './lot-submission-views.ts';

declare module '../platform.ts' {
  interface Platform {
    lotSubmissions: LotSubmissionService;
  }
}

export interface Actor {
  id: string;
  username: string;
}
export interface Seller extends Actor {
  participantId: string;
  participantKind: string;
}

interface Deps {
  knex: Knex;
  files: FileStore;
  instruments: InstrumentCatalog;
  bus: MarketBus;
}

/**
 * A county bureau's lot from submission to credited quantity: submit (with documents), review by
 * one operator, approval by another (four eyes), correction and resubmission after a rejection,
 * withdrawal. Every step is one transaction with its audit entry; quantity exists only from the
 * approval's transaction on.
 */
export class LotSubmissionService {
  constructor(private readonly deps: Deps) {}

  async submit(seller: Seller, upload: LotUpload): Promise<LotSubmission> {
    requireGovernment(seller);
    const terms = submissionTerms(upload.fields, this.deps.instruments);
    const documents = LOT_DOCUMENT_KINDS.map((kind) => upload.documents[kind] ?? missing(kind));
    const id = await this.storing(async (trx, put) => {
      const id = await store.insertSubmission(trx, seller.participantId, seller.id, terms);
      await store.claimPlots(trx, id, terms.indicatorType, terms.plotIds);
      for (const d of documents) await put(id, 1, d);
      await appendAudit(trx, [{ actorUserId: seller.id, actor: seller.username, action: 'lot.submit', subject: `lot-submission:${id}`, payload: auditTerms(terms, documents) }]);
      return id;
    }, terms);
    return this.get(id);
  }

  /** A rejected submission, corrected: new terms, any documents sent replace the old ones. */
  async resubmit(seller: Seller, id: string, upload: LotUpload): Promise<LotSubmission> {
    requireGovernment(seller);
    const terms = submissionTerms(upload.fields, this.deps.instruments);
    const replaced = LOT_DOCUMENT_KINDS.flatMap((kind) => (upload.documents[kind] ? [upload.documents[kind]] : []));
    await this.storing(async (trx, put) => {
      const row = await this.sellersOwn(trx, seller, id);
      if (row.status !== 'rejected') throw conflict('SUBMISSION_NOT_REJECTED', `submission ${id} is ${row.status}: only a rejected submission is corrected and resubmitted`, { status: row.status });
      await store.releasePlots(trx, id);
      await store.reviseSubmission(trx, id, terms);
      await store.claimPlots(trx, id, terms.indicatorType, terms.plotIds);
      for (const d of replaced) {
        await store.supersedeDocument(trx, id, d.kind);
        await put(id, row.revision + 1, d);
      }
      await appendAudit(trx, [{ actorUserId: seller.id, actor: seller.username, action: 'lot.resubmit', subject: `lot-submission:${id}`, payload: { ...auditTerms(terms, replaced), revision: row.revision + 1 } }]);
    }, terms);
    return this.get(id);
  }

  async withdraw(seller: Seller, id: string): Promise<LotSubmission> {
    await this.deps.knex.transaction(async (trx) => {
      const row = await this.sellersOwn(trx, seller, id);
      if (row.status === 'approved' || row.status === 'withdrawn') throw conflict('SUBMISSION_CLOSED', `submission ${id} is already ${row.status}`, { status: row.status });
      await store.recordWithdrawal(trx, id);
      // Withdrawn, its filing number and plots may back another submission (the filing index skips withdrawn rows).
      await store.releasePlots(trx, id);
      await appendAudit(trx, [{ actorUserId: seller.id, actor: seller.username, action: 'lot.withdraw', subject: `lot-submission:${id}`, payload: { from: row.status } }]);
    });
    return this.get(id);
  }

  async review(operator: Actor, id: string, body: ReviewBody): Promise<LotSubmission> {
    const reason = body.reason?.trim() ?? '';
    if (body.decision === 'reject' && reason.length < 2) throw badRequest('REJECT_REASON_REQUIRED', 'say why the submission is rejected: the seller reads it to correct the lot');
    await this.deps.knex.transaction(async (trx) => {
      const row = await store.lockSubmission(trx, id);
      if (!row) throw notFound('SUBMISSION_NOT_FOUND', `no lot submission ${id}`);
      if (row.status !== 'submitted') throw conflict('SUBMISSION_NOT_AWAITING_REVIEW', `submission ${id} is ${row.status}, not awaiting review`, { status: row.status });
      const status = body.decision === 'accept' ? 'reviewed' : 'rejected';
      await store.recordReview(trx, id, status, operator.id, reason === '' ? null : reason);
      await appendAudit(trx, [{ actorUserId: operator.id, actor: operator.username, action: `lot.review.${body.decision}`, subject: `lot-submission:${id}`, payload: { revision: row.revision, reason: reason === '' ? null : reason } }]);
    });
    return this.get(id);
  }

  /** The second pair of eyes: credits the holdings, in the transaction that records the approval. */
  async approve(operator: Actor, id: string): Promise<LotSubmission> {
    let participantId = '';
    let filingNo = '';
    try {
      await this.deps.knex.transaction(async (trx) => {
        const row = await store.lockSubmission(trx, id);
        if (!row) throw notFound('SUBMISSION_NOT_FOUND', `no lot submission ${id}`);
        if (row.status === 'submitted') throw conflict('SUBMISSION_NOT_REVIEWED', `submission ${id} has not been reviewed yet: a first operator reviews it before a second approves`);
        if (row.status !== 'reviewed') throw conflict('SUBMISSION_NOT_AWAITING_APPROVAL', `submission ${id} is ${row.status}, not awaiting approval`, { status: row.status });
        if (String(row.reviewed_by) === String(operator.id)) throw fourEyes(id);
        const s = (await store.submissionById(trx, id))!;
        filingNo = s.filing_no;
        const spec = this.deps.instruments.spec(s.symbol);
        if (!spec) throw unprocessable('UNKNOWN_SYMBOL', `no instrument ${s.symbol}`);
        const lot = await issueLot(trx, operator, spec, {
          participantId: String(s.participant_id),
          indicatorType: s.indicator_type,
          symbol: s.symbol,
          quantity: s.quantity,
          region: s.region,
          sourceProject: s.source_project,
          verificationRef: s.filing_no,
          vintage: s.vintage,
          attributes: lotAttributes(s),
        });
        // The CHECK lot_submissions_four_eyes refuses this row if the reviewer is the approver.
        await store.recordApproval(trx, id, operator.id, String(lot.id));
        await appendAudit(trx, [{ actorUserId: operator.id, actor: operator.username, action: 'lot.approve', subject: `lot-submission:${id}`, payload: { lotId: String(lot.id), reviewedBy: String(row.reviewed_by), quantity: s.quantity, symbol: s.symbol } }]);
        participantId = String(s.participant_id);
      });
    } catch (error) {
      const e = error as { code?: string; constraint?: string };
      if (e.code === '23514' && e.constraint === 'lot_submissions_four_eyes') throw fourEyes(id);
      // A lot registered by the test-harness route with this filing number as its reference.
      throw duplicateLotRefusal(error, filingNo) ?? error;
    }
    this.deps.bus.emit('balance', participantId);
    return this.get(id);
  }

  async get(id: string): Promise<LotSubmission> {
    const row = await store.submissionById(this.deps.knex, id);
    if (!row) throw notFound('SUBMISSION_NOT_FOUND', `no lot submission ${id}`);
    return submissionView(row, await store.currentDocuments(this.deps.knex, [id]));
  }

  async list(filter: store.SubmissionFilter): Promise<LotSubmission[]> {
    const rows = await store.listSubmissions(this.deps.knex, filter);
    const documents = await store.currentDocuments(this.deps.knex, rows.map((r) => String(r.id)));
    return rows.map((r) => submissionView(r, documents));
  }

  /** A document's stored bytes, for a viewer allowed to see the submission. */
  async document(viewer: { role: string; participantId: string | null }, id: string, documentId: string): Promise<{ bytes: Buffer; contentType: string; fileName: string }> {
    const submission = await store.submissionById(this.deps.knex, id);
    if (!submission || (viewer.role === 'participant' && String(submission.participant_id) !== viewer.participantId)) {
      throw notFound('SUBMISSION_NOT_FOUND', `no lot submission ${id}`);
    }
    const doc = await store.documentById(this.deps.knex, id, documentId);
    const stored = doc ? await this.deps.files.get(doc.storage_key) : null;
    if (!doc || !stored) throw notFound('DOCUMENT_NOT_FOUND', `submission ${id} has no document ${documentId}`);
    return { bytes: stored.bytes, contentType: doc.content_type, fileName: doc.file_name };
  }

  private async sellersOwn(trx: Knex.Transaction, seller: Seller, id: string) {
    const row = await store.lockSubmission(trx, id);
    // Another participant's submission is not there at all, as far as this seller can tell.
    if (!row || String(row.participant_id) !== seller.participantId) throw notFound('SUBMISSION_NOT_FOUND', `no lot submission ${id}`);
    return row;
  }

  /**
   * Runs `work` in a transaction with a `put` that stores a document and its row. A store inside
   * PostgreSQL rolls back with the transaction; for one outside it, what was put is deleted when
   * the transaction fails, so a refused submission leaves no file behind either way.
   */
  private async storing<T>(work: (trx: Knex.Transaction, put: (id: string, revision: number, d: UploadedDocument) => Promise<void>) => Promise<T>, terms: SubmissionTerms): Promise<T> {
    const { knex, files } = this.deps;
    const keys: string[] = [];
    try {
      return await knex.transaction(async (trx) =>
        work(trx, async (id, revision, d) => {
          const key = `lot-documents/${id}/${randomUUID()}`;
          keys.push(key);
          await files.put(trx, key, { bytes: d.bytes, contentType: d.contentType });
          await store.insertDocument(trx, { submission_id: id, kind: d.kind, file_name: d.fileName, content_type: d.contentType, size_bytes: String(d.bytes.length), sha256: d.sha256, storage_key: key, revision });
        }),
      );
    } catch (error) {
      if (!files.transactional) await Promise.allSettled(keys.map((k) => files.delete(k)));
      throw duplicateFilingRefusal(error, terms) ?? error;
    }
  }
}

function requireGovernment(seller: Seller): void {
  if (seller.participantKind !== 'government') {
    throw forbidden('LOT_SELLER_NOT_GOVERNMENT', 'lots are submitted by government bodies (county natural-resource bureaus) only');
  }
}

const missing = (kind: LotDocumentKind): never => {
  throw unprocessable('DOCUMENT_MISSING', `the ${kind} document is required (acceptance, filing and county consent)`, { document: kind });
};

const fourEyes = (id: string) => forbidden('FOUR_EYES', `you reviewed submission ${id}: a different operator must approve it`);

/** The live-filing and plot-claim keys as the 409 a seller can act on. */
function duplicateFilingRefusal(error: unknown, terms: SubmissionTerms): AppError | null {
  if (isUniqueViolation(error, 'lot_submissions_live_filing')) {
    return conflict('DUPLICATE_FILING', `filing number ${terms.filingNo} already backs a live lot submission`, { filingNo: terms.filingNo, taken: terms.filingNo });
  }
  if (isUniqueViolation(error, 'lot_plot_claims_unique')) {
    const plotId = (error as { plotId?: string }).plotId ?? '';
    return conflict('DUPLICATE_FILING', `plot ${plotId} already backs a live ${terms.indicatorType} lot submission`, { plotId, taken: plotId });
  }
  return null;
}

function auditTerms(terms: SubmissionTerms, documents: UploadedDocument[]): Record<string, unknown> {
  return { ...terms, documents: documents.map((d) => ({ kind: d.kind, sha256: d.sha256, contentType: d.contentType, sizeBytes: d.bytes.length })) };
}

function lotAttributes(s: store.SubmissionRow): Record<string, string | number> {
  const attributes: Record<string, string | number> = {
    submissionId: String(s.id),
    divisionCode: s.division_code,
    acceptanceNo: s.acceptance_no,
    filingNo: s.filing_no,
    plotIds: s.plot_ids.join(','),
  };
  if (s.quality_grade !== null) attributes.qualityGrade = s.quality_grade;
  if (s.land_type !== null) attributes.landType = s.land_type;
  return attributes;
}
