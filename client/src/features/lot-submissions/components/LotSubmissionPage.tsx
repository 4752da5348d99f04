import { useTranslation } from 'react-i18next';
import { useInstruments } from '../../../shared/api/reference-data.ts';
import { Panel } from '../../../shared/components/Panel.tsx';
import { LotSubmissionForm } from './LotSubmissionForm.tsx';
import { SellerSubmissions } from './SellerSubmissions.tsx';

/** Seller screen: submit a lot with its documents, follow its review. */
export function LotSubmissionPage() {
  const { t } = useTranslation();
  const instruments = useInstruments();
  const list = instruments.data ?? [];
  return (
    <div className="page">
      <div className="page__header">
        <h1 className="page__title">{t('lotSubmissions.heading')}</h1>
        <span className="muted small">{t('lotSubmissions.hint')}</span>
      </div>
      <Panel title={t('lotSubmissions.newHeading')} testId="new-submission">
        {list.length > 0 ? <LotSubmissionForm instruments={list} /> : null}
      </Panel>
      <Panel title={t('lotSubmissions.ownHeading')}>
        <SellerSubmissions instruments={list} />
      </Panel>
    </div>
  );
}
