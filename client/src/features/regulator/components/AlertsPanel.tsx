import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { formatDateTime } from '../../../shared/format/number.ts';
import { useAcknowledgeAlert, useAlerts } from '../api/alerts.ts';
import { alertText } from '../model/alert-text.ts';
import type { Alert } from '../../../../../contract/surveillance.ts';

const isAcknowledged = (a: Alert): boolean => a.status === 'acknowledged';

export function AlertsPanel() {
  const { t, i18n } = useTranslation();
  const alerts = useAlerts();
  const ack = useAcknowledgeAlert();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [missingNote, setMissingNote] = useState<string | null>(null);
  const acknowledgement = (a: Alert) => {
    const { id } = a;
    if (isAcknowledged(a)) {
      return (
        <span className="muted small">
          {t('regulator.acknowledged')}
          {a.acknowledgedBy ? ` · ${a.acknowledgedBy}` : ''}
          {a.acknowledgementNote ? `：${a.acknowledgementNote}` : ''}
        </span>
      );
    }
    return (
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const note = (notes[id] ?? '').trim();
          // The regulator records why an alert needs no further action.
          if (note.length < 2) {
            setMissingNote(id);
            document.getElementById(`ack-note-${id}`)?.focus();
            return;
          }
          setMissingNote(null);
          ack.mutate({ id: a.id, note });
        }}
      >
        <label className="visually-hidden" htmlFor={`ack-note-${id}`}>{t('regulator.ackNote')}</label>
        <input
          id={`ack-note-${id}`}
          className="input--small"
          placeholder={t('regulator.ackNote')}
          value={notes[id] ?? ''}
          aria-invalid={missingNote === id ? true : undefined}
          title={missingNote === id ? t('regulator.noteRequired') : undefined}
          onChange={(e) => setNotes((n) => ({ ...n, [id]: e.target.value }))}
        />
        <button type="submit" className="btn btn--small" aria-label={t('regulator.acknowledgeAlert', { id })} disabled={ack.isPending}>
          {t('regulator.acknowledge')}
        </button>
        {missingNote === id ? <span className="field__error" role="alert">{t('regulator.noteRequired')}</span> : null}
      </form>
    );
  };

  return (
    <>
      <ErrorNotice error={alerts.error} />
      <DataTable
        testId="alerts"
        scroll="tall"
        caption={t('regulator.alertsCaption')}
        emptyText={t('regulator.noAlerts')}
        rows={alerts.data}
        loading={alerts.isPending}
        rowKey={(a) => a.id}
        rowProps={(a) => ({ 'data-alert-id': a.id })}
        columns={[
          { id: 'time', header: t('instrument.time'), className: 'mono small', cell: (a) => formatDateTime(a.createdAt, i18n.language) },
          {
            id: 'severity',
            header: t('regulator.severity'),
            cell: (a) => <span className={`severity severity--${a.severity}`}>{t(`regulator.severities.${a.severity}`, { defaultValue: a.severity })}</span>,
          },
          { id: 'rule', header: t('regulator.rule'), className: 'small', cell: (a) => t(`regulator.rules.${a.rule}`, { defaultValue: a.rule }) },
          { id: 'symbol', header: t('operator.instrument'), className: 'mono', cell: (a) => a.symbol },
          { id: 'message', header: t('regulator.message'), className: 'small', cell: (a) => alertText(t, a) },
          { id: 'acknowledge', header: t('regulator.acknowledge'), cell: acknowledgement },
        ]}
      />
      <ErrorNotice error={ack.error} />
    </>
  );
}
