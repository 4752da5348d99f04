import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { formatDateTime } from '../../../shared/format/number.ts';
import { useAudit, useExportAudit, type AuditFilters } from '../api/audit.ts';
import type { AuditEntry } from '../../../../../contract/regulator.ts';

const EMPTY: AuditFilters = { actor: '', action: '', subject: '', from: '', to: '' };

function summary(r: AuditEntry): string {
  if (r.payload === undefined || r.payload === null) return '';
  const text = typeof r.payload === 'string' ? r.payload : JSON.stringify(r.payload);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

export function AuditViewer() {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<AuditFilters>(EMPTY);
  const [applied, setApplied] = useState<AuditFilters>(EMPTY);
  const audit = useAudit(applied);
  const exportCsv = useExportAudit();
  const set = (k: keyof AuditFilters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
  };

  return (
    <>
      <form className="form filters" onSubmit={submit} aria-label={t('regulator.audit')}>
        <Field label={t('regulator.actor')}><input name="actor" value={draft.actor} onChange={set('actor')} /></Field>
        <Field label={t('regulator.action')}><input name="action" value={draft.action} onChange={set('action')} /></Field>
        <Field label={t('regulator.subject')}><input name="subject" value={draft.subject} onChange={set('subject')} placeholder="instrument:FARMLAND-QTY" /></Field>
        <Field label={t('regulator.from')}><input name="from" type="datetime-local" value={draft.from} onChange={set('from')} /></Field>
        <Field label={t('regulator.to')}><input name="to" type="datetime-local" value={draft.to} onChange={set('to')} /></Field>
        <div className="form__actions">
          <button type="submit" className="btn btn--primary">{t('regulator.filter')}</button>
          <button type="button" className="btn" onClick={() => { setDraft(EMPTY); setApplied(EMPTY); }}>{t('regulator.reset')}</button>
          <button type="button" className="btn" onClick={() => exportCsv.mutate(applied)} disabled={exportCsv.isPending}>{t('regulator.exportCsv')}</button>
        </div>
      </form>
      <ErrorNotice error={audit.error ?? exportCsv.error} />
      <DataTable
        testId="audit"
        scroll="tall"
        caption={t('regulator.auditCaption')}
        emptyText={t('regulator.noAudit')}
        rows={audit.data}
        loading={audit.isPending}
        rowKey={(r) => r.seq}
        columns={[
          { id: 'time', header: t('instrument.time'), className: 'mono small', cell: (r) => formatDateTime(r.at, i18n.language) },
          { id: 'actor', header: t('regulator.actor'), className: 'small', cell: (r) => r.actor },
          { id: 'action', header: t('regulator.action'), className: 'mono small', cell: (r) => r.action },
          { id: 'subject', header: t('regulator.subject'), className: 'mono small', cell: (r) => r.subject },
          { id: 'payload', header: t('regulator.payload'), className: 'mono small wrap', cell: summary },
          { id: 'hash', header: t('regulator.hash'), className: 'mono small', title: (r) => r.hash, cell: (r) => (r.hash ? `${r.hash.slice(0, 10)}…` : '') },
        ]}
      />
    </>
  );
}
