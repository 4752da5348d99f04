import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { formatDateTime } from '../../../shared/format/number.ts';
import { useAuditChainCheck, useReconciliation } from '../api/integrity.ts';
import type { Reconciliation } from '../../../../../contract/regulator.ts';

type Check = Reconciliation['checks'][number];

/** The counts a check read, e.g. "accounts 42 · postings 310", and how many mismatches it found. */
function figures(check: Check, label: (key: string) => string): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(check.details)) {
    if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) parts.push(`${label(key)} ${value}`);
    else if (Array.isArray(value) && value.length > 0) parts.push(`${label(key)} ${value.length}`);
  }
  return parts.join(' · ');
}

function Verdict({ ok }: { ok: boolean }) {
  const { t } = useTranslation();
  return <span className={`badge ${ok ? 'badge--trading' : 'badge--halted'}`}>{ok ? t('integrity.pass') : t('integrity.fail')}</span>;
}

/** The regulator proves the ledger and the audit chain on demand and reads each verdict. */
export function IntegrityPanel() {
  const { t, i18n } = useTranslation();
  const reconciliation = useReconciliation();
  const chain = useAuditChainCheck();
  const label = (key: string) => t(`integrity.figure.${key}`, { defaultValue: key });
  const report = reconciliation.data;
  const verification = chain.data;

  return (
    <div className="stack">
      <div className="form__actions">
        <button type="button" className="btn btn--primary" onClick={() => reconciliation.mutate()} disabled={reconciliation.isPending}>
          {reconciliation.isPending ? t('integrity.reconciling') : t('integrity.reconcile')}
        </button>
        <button type="button" className="btn" onClick={() => chain.mutate()} disabled={chain.isPending}>
          {chain.isPending ? t('integrity.verifying') : t('integrity.verifyChain')}
        </button>
      </div>
      <ErrorNotice error={reconciliation.error ?? chain.error} />
      {report ? (
        <section aria-label={t('integrity.ledger')} data-testid="reconciliation">
          <p>
            <Verdict ok={report.ok} /> {report.ok ? t('integrity.ledgerOk') : t('integrity.ledgerBroken')}
            <span className="muted small"> · {t('integrity.checkedAt', { at: formatDateTime(report.checkedAt, i18n.language) })}</span>
          </p>
          <DataTable
            testId="reconciliation-checks"
            caption={t('integrity.ledger')}
            emptyText=""
            rows={report.checks}
            rowKey={(c) => c.id}
            rowProps={(c) => ({ 'data-check': c.id, 'data-ok': String(c.ok) })}
            columns={[
              { id: 'verdict', header: t('integrity.verdict'), cell: (c) => <Verdict ok={c.ok} /> },
              { id: 'check', header: t('integrity.check'), cell: (c) => t(`integrity.checks.${c.id}`) },
              { id: 'figures', header: t('integrity.figures'), className: 'mono small', cell: (c) => figures(c, label) },
            ]}
          />
        </section>
      ) : null}
      {verification ? (
        <p data-testid="audit-chain" data-ok={String(verification.ok)}>
          <Verdict ok={verification.ok} />{' '}
          {verification.ok
            ? t('integrity.chainOk', { rows: verification.rowsChecked })
            : t('integrity.chainBroken', { rows: verification.rowsChecked, seq: verification.firstBrokenSeq ?? '—' })}
        </p>
      ) : null}
    </div>
  );
}
