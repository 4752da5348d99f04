import type { LotSubmission } from '../../contract/lot-submissions.ts';
import type { DocumentRow, SubmissionRow } from './lot-submission-store.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function submissionView(row: SubmissionRow, documents: DocumentRow[]): LotSubmission {
  return {
    id: String(row.id),
    participantId: String(row.participant_id),
    participantName: row.participant_name,
    submittedBy: row.submitted_by_name,
    symbol: row.symbol,
    indicatorType: row.indicator_type,
    quantity: row.quantity,
    divisionCode: row.division_code,
    region: row.region,
    sourceProject: row.source_project,
    acceptanceNo: row.acceptance_no,
    filingNo: row.filing_no,
    qualityGrade: row.quality_grade,
    landType: row.land_type,
    plotIds: row.plot_ids,
    vintage: row.vintage,
    status: row.status,
    revision: row.revision,
    reviewedBy: row.reviewed_by_name,
    reviewedAt: iso(row.reviewed_at),
    reviewReason: row.review_reason,
    approvedBy: row.approved_by_name,
    approvedAt: iso(row.approved_at),
    lotId: row.lot_id === null ? null : String(row.lot_id),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    documents: documents
      .filter((d) => String(d.submission_id) === String(row.id))
      .map((d) => ({
        id: String(d.id),
        kind: d.kind,
        fileName: d.file_name,
        contentType: d.content_type as LotSubmission['documents'][number]['contentType'],
        sizeBytes: String(d.size_bytes),
        sha256: d.sha256,
        revision: d.revision,
        url: `/api/lot-submissions/${row.id}/documents/${d.id}`,
      })),
  };
}
