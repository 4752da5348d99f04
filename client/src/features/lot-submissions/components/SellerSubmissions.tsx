import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { useLotSubmissions, useWithdraw, type LotSubmission } from '../api/lot-submissions.ts';
import { LotSubmissionForm } from './LotSubmissionForm.tsx';
import { submissionColumns } from './SubmissionColumns.tsx';

/** The seller's submissions with the reviewer's reason; a rejected one is corrected in place. */
export function SellerSubmissions({ instruments }: { instruments: readonly Instrument[] }) {
  const { t } = useTranslation();
  const submissions = useLotSubmissions('own');
  const withdraw = useWithdraw();
  const [correcting, setCorrecting] = useState<LotSubmission | null>(null);
  const open = (s: LotSubmission) => s.status !== 'approved' && s.status !== 'withdrawn';
  return (
    <>
      <ErrorNotice error={submissions.error ?? withdraw.error} />
      <DataTable
        caption={t('lotSubmissions.ownCaption')}
        testId="own-submissions"
        rows={submissions.data}
        loading={submissions.isPending}
        rowKey={(s) => s.id}
        rowProps={(s) => ({ 'data-submission': s.id, 'data-status': s.status })}
        emptyText={t('lotSubmissions.noneOwn')}
        columns={[
          ...submissionColumns(t, false),
          { id: 'reason', header: t('lotSubmissions.reason'), cell: (s) => (s.status === 'rejected' ? s.reviewReason : null) },
          {
            id: 'actions',
            header: t('lotSubmissions.actions'),
            cell: (s) => (
              <span className="row-actions">
                {s.status === 'rejected' ? <button type="button" className="btn btn--small" onClick={() => setCorrecting(s)}>{t('lotSubmissions.correct')}</button> : null}
                {open(s) ? <button type="button" className="btn btn--small btn--ghost" disabled={withdraw.isPending} onClick={() => withdraw.mutate(s.id)}>{t('lotSubmissions.withdraw')}</button> : null}
              </span>
            ),
          },
        ]}
      />
      {correcting ? (
        <section aria-label={t('lotSubmissions.correcting', { id: correcting.id })} data-testid="correct-submission">
          <h3>{t('lotSubmissions.correcting', { id: correcting.id })}</h3>
          <LotSubmissionForm key={correcting.id} instruments={instruments} correcting={correcting} onDone={() => setCorrecting(null)} />
        </section>
      ) : null}
    </>
  );
}
