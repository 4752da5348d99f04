import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { formatDateTime } from '../../../shared/format/number.ts';
import { useAudit, useExportAudit, type AuditFilters } from '../api/audit.ts';
import type { AuditRow } from '../api/types.ts';

const EMPTY: AuditFilters = { actor: '', action: '', subject: '', from: '', to: '' };

function when(r: AuditRow): string | undefined {
  return r.createdAt ?? r.at ?? r.occurredAt;
}

function who(r: AuditRow): string {
  return r.actorUsername ?? r.actor ?? r.username ?? (r.userId !== undefined && r.userId !== null ? `#${String(r.userId)}` : '—');
}

function summary(r: AuditRow): string {
  const body = r.payload ?? r.details;
  if (body === undefined || body === null) return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
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
      <div tabIndex={0} className="scroll-box scroll-box--tall">
        <table className="table table--compact" data-testid="audit">
          <caption className="visually-hidden">{t('regulator.auditCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('instrument.time')}</th>
              <th scope="col">{t('regulator.actor')}</th>
              <th scope="col">{t('regulator.action')}</th>
              <th scope="col">{t('regulator.subject')}</th>
              <th scope="col">{t('regulator.payload')}</th>
              <th scope="col">{t('regulator.hash')}</th>
            </tr>
          </thead>
          <tbody>
            {(audit.data ?? []).length === 0 ? (
              <tr><td colSpan={6} className="muted center">{audit.isPending ? t('app.loading') : t('regulator.noAudit')}</td></tr>
            ) : (
              (audit.data ?? []).map((r) => (
                <tr key={String(r.seq ?? r.id)}>
                  <td className="mono small">{formatDateTime(when(r), i18n.language)}</td>
                  <td className="small">{who(r)}</td>
                  <td className="mono small">{r.action}</td>
                  <td className="mono small">{r.subject ?? ''}</td>
                  <td className="mono small wrap">{summary(r)}</td>
                  <td className="mono small" title={r.hash}>{r.hash ? `${r.hash.slice(0, 10)}…` : ''}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
