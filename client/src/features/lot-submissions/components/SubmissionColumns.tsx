import type { TFunction } from 'i18next';
import type { Column } from '../../../shared/components/DataTable.tsx';
import type { LotSubmission } from '../api/lot-submissions.ts';
import { SubmissionStatus } from './SubmissionStatus.tsx';

/** The columns every submission table shows; screens add their own actions. */
export function submissionColumns(t: TFunction, withSeller: boolean): Column<LotSubmission>[] {
  const columns: Array<Column<LotSubmission> | null> = [
    { id: 'id', header: t('lotSubmissions.id'), cell: (s) => s.id, rowHeader: true },
    withSeller ? { id: 'seller', header: t('lotSubmissions.seller'), cell: (s) => s.participantName } : null,
    { id: 'symbol', header: t('lotSubmissions.instrument'), cell: (s) => s.symbol, className: 'mono' },
    { id: 'quantity', header: t('lotSubmissions.quantity'), cell: (s) => s.quantity, align: 'number' },
    { id: 'region', header: t('lotSubmissions.division'), cell: (s) => s.region },
    { id: 'filing', header: t('lotSubmissions.filingNo'), cell: (s) => s.filingNo, className: 'mono small' },
    { id: 'status', header: t('lotSubmissions.statusHeader'), cell: (s) => <SubmissionStatus status={s.status} /> },
  ];
  return columns.filter((c): c is Column<LotSubmission> => c !== null);
}
