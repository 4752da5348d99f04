import { useTranslation } from 'react-i18next';
import type { LotSubmission } from '../api/lot-submissions.ts';

export function SubmissionStatus({ status }: { status: LotSubmission['status'] }) {
  const { t } = useTranslation();
  return <span className={`badge badge--${status}`} data-status={status}>{t(`lotSubmissions.status.${status}`)}</span>;
}
