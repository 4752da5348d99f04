import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { formatDateTime } from '../../../shared/format/number.ts';
import { Link } from '../../../shared/router/hash-router.tsx';
import { useDecideObjection, useObjectionDesk, type DeskObjection } from '../api/listing-rule-actions.ts';

/** The operator's desk of objections (异议): each upheld (the listing withdrawn) or dismissed, with a published answer. */
export function ObjectionDesk() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<'pending' | 'all'>('pending');
  const desk = useObjectionDesk(status);
  return (
    <div className="page" data-testid="objection-desk">
      <h1 className="page__title">{t('objections.deskHeading')}</h1>
      <Panel title={t('objections.deskHeading')}>
        <label className="small">
          <input type="checkbox" checked={status === 'all'} onChange={(e) => setStatus(e.target.checked ? 'all' : 'pending')} /> {t('objections.showAll')}
        </label>
        {desk.isPending ? <Loading /> : null}
        <ErrorNotice error={desk.error} />
        {desk.data && desk.data.length === 0 ? <p className="muted">{t('objections.noneToDecide')}</p> : null}
        {desk.data && desk.data.length > 0 ? (
          <DataTable
            className="table"
            caption={t('objections.deskHeading')}
            rows={desk.data}
            rowKey={(o) => o.id}
            rowProps={(o) => ({ 'data-testid': `desk-objection-${o.id}` })}
            columns={[
              { id: 'listing', header: t('listing.title'), rowHeader: true, cell: (o) => <Link to={`/listings/${o.listingId}`}>{o.listingTitle}</Link> },
              { id: 'objector', header: t('objections.objector'), cell: (o) => o.objector?.name ?? '—' },
              { id: 'reason', header: t('objections.reasonLabel'), cell: (o) => o.reason },
              { id: 'filed', header: t('objections.filedAt'), cell: (o) => formatDateTime(o.filedAt, i18n.language) },
              { id: 'decide', header: t('objections.decision'), cell: (o) => <Decide objection={o} /> },
            ]}
          />
        ) : null}
      </Panel>
    </div>
  );
}

function Decide({ objection }: { objection: DeskObjection }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const decide = useDecideObjection();
  if (objection.decision) return <span>{t(`objections.status.${objection.status}`)}: {objection.decision.reason}</span>;
  const send = (outcome: 'upheld' | 'dismissed') => decide.mutate({ objectionId: objection.id, outcome, reason: reason.trim() });
  return (
    <div className="form form--inline">
      <input aria-label={t('objections.answerLabel')} name="answer" value={reason} placeholder={t('objections.answerLabel')} onChange={(e) => setReason(e.target.value)} />
      <button type="button" className="btn" data-testid="dismiss-objection" disabled={decide.isPending || reason.trim().length < 2} onClick={() => send('dismissed')}>{t('objections.dismiss')}</button>
      <button type="button" className="btn btn--danger" data-testid="uphold-objection" disabled={decide.isPending || reason.trim().length < 2} onClick={() => send('upheld')}>{t('objections.uphold')}</button>
      <ErrorNotice error={decide.error} />
    </div>
  );
}
