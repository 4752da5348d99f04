import { useTranslation } from 'react-i18next';
import type { LotSubmission } from '../api/lot-submissions.ts';

/** What a reviewer checks against the documents. */
export function SubmissionFacts({ submission: s }: { submission: LotSubmission }) {
  const { t } = useTranslation();
  const facts: Array<[string, string]> = [
    [t('lotSubmissions.seller'), `${s.participantName}（${s.submittedBy}）`],
    [t('lotSubmissions.instrument'), s.symbol],
    [t('lotSubmissions.quantity'), s.quantity],
    [t('lotSubmissions.division'), `${s.region}（${s.divisionCode}）`],
    [t('lotSubmissions.sourceProject'), s.sourceProject],
    [t('lotSubmissions.acceptanceNo'), s.acceptanceNo],
    [t('lotSubmissions.filingNo'), s.filingNo],
    [t('lotSubmissions.plotIds'), s.plotIds.join('，')],
    [t('lotSubmissions.vintage'), String(s.vintage)],
  ];
  if (s.qualityGrade !== null) facts.push([t('lotSubmissions.qualityGrade'), String(s.qualityGrade)]);
  if (s.landType !== null) facts.push([t('lotSubmissions.landType'), t(`lotSubmissions.landTypes.${s.landType}`)]);
  if (s.reviewedBy) facts.push([t('lotSubmissions.reviewedBy'), s.reviewedBy]);
  facts.push([t('lotSubmissions.revision'), String(s.revision)]);
  return (
    <dl className="facts" data-testid="submission-facts">
      {facts.map(([k, v]) => (
        <div key={k} className="facts__item">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
