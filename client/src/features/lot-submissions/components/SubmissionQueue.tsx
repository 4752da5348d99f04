import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { useApprove, useLotSubmissions, useReview, type LotSubmission } from '../api/lot-submissions.ts';
import { submissionColumns } from './SubmissionColumns.tsx';
import { SubmissionDocuments } from './SubmissionDocuments.tsx';
import { SubmissionFacts } from './SubmissionFacts.tsx';

function ReviewActions({ submission }: { submission: LotSubmission }) {
  const { t } = useTranslation();
  const review = useReview();
  const [reason, setReason] = useState('');
  return (
    <div className="form" data-testid="review-actions">
      <Field label={t('lotSubmissions.reviewReason')} hint={t('lotSubmissions.reviewReasonHint')}>
        <textarea name="reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <ErrorNotice error={review.error} />
      {review.data ? <SuccessNotice>{t(`lotSubmissions.status.${review.data.status}`)}</SuccessNotice> : null}
      <div className="row-actions">
        <button type="button" className="btn btn--primary" disabled={review.isPending} onClick={() => review.mutate({ id: submission.id, decision: 'accept', reason: reason || undefined })}>{t('lotSubmissions.accept')}</button>
        <button type="button" className="btn" disabled={review.isPending} onClick={() => review.mutate({ id: submission.id, decision: 'reject', reason })}>{t('lotSubmissions.reject')}</button>
      </div>
    </div>
  );
}

function ApproveActions({ submission }: { submission: LotSubmission }) {
  const { t } = useTranslation();
  const approve = useApprove();
  return (
    <div className="form" data-testid="approve-actions">
      <ErrorNotice error={approve.error} />
      {approve.data ? <SuccessNotice>{t('lotSubmissions.approvedAs', { lot: approve.data.lotId })}</SuccessNotice> : null}
      <button type="button" className="btn btn--primary" disabled={approve.isPending} onClick={() => approve.mutate(submission.id)}>{t('lotSubmissions.approve')}</button>
    </div>
  );
}

/**
 * The operator's queues. Review: submissions awaiting a first reviewer, documents shown in the
 * page. Approval: reviewed submissions, leaving out those the signed-in operator reviewed (the
 * server filters them and refuses them with FOUR_EYES all the same).
 */
export function SubmissionQueue({ queue }: { queue: 'review' | 'approval' }) {
  const { t } = useTranslation();
  const submissions = useLotSubmissions(queue);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = submissions.data?.find((s) => s.id === selectedId) ?? null;
  return (
    <div className="page">
      <div className="page__header">
        <h1 className="page__title">{t(`lotSubmissions.${queue}Heading`)}</h1>
        <span className="muted small">{t(`lotSubmissions.${queue}Hint`)}</span>
      </div>
      <Panel title={t('lotSubmissions.queue')}>
        <ErrorNotice error={submissions.error} />
        <DataTable
          caption={t(`lotSubmissions.${queue}Heading`)}
          testId={`${queue}-queue`}
          rows={submissions.data}
          loading={submissions.isPending}
          rowKey={(s) => s.id}
          rowProps={(s) => ({ 'data-submission': s.id, className: s.id === selectedId ? 'is-selected' : undefined })}
          emptyText={t('lotSubmissions.queueEmpty')}
          columns={[
            ...submissionColumns(t, true),
            { id: 'open', header: t('lotSubmissions.actions'), cell: (s) => <button type="button" className="btn btn--small" onClick={() => setSelectedId(s.id)}>{t('lotSubmissions.open')}</button> },
          ]}
        />
      </Panel>
      {selected ? (
        <Panel title={t('lotSubmissions.submissionTitle', { id: selected.id })} testId="submission-detail">
          <SubmissionFacts submission={selected} />
          <SubmissionDocuments submission={selected} />
          {queue === 'review' ? <ReviewActions key={selected.id} submission={selected} /> : <ApproveActions key={selected.id} submission={selected} />}
        </Panel>
      ) : null}
    </div>
  );
}
