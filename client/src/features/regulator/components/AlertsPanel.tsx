import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { formatDateTime } from '../../../shared/format/number.ts';
import { useAcknowledgeAlert, useAlerts } from '../api/alerts.ts';
import type { Alert } from '../api/types.ts';

function isAcknowledged(a: Alert): boolean {
  return Boolean(a.status === 'acknowledged' || a.acknowledgedAt || a.acknowledged);
}

export function AlertsPanel() {
  const { t, i18n } = useTranslation();
  const alerts = useAlerts();
  const ack = useAcknowledgeAlert();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [missingNote, setMissingNote] = useState<string | null>(null);
  const list = alerts.data ?? [];

  return (
    <>
      <ErrorNotice error={alerts.error} />
      <div tabIndex={0} className="scroll-box scroll-box--tall">
        <table className="table table--compact" data-testid="alerts">
          <caption className="visually-hidden">{t('regulator.alertsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('instrument.time')}</th>
              <th scope="col">{t('regulator.severity')}</th>
              <th scope="col">{t('regulator.rule')}</th>
              <th scope="col">{t('operator.instrument')}</th>
              <th scope="col">{t('regulator.message')}</th>
              <th scope="col">{t('regulator.acknowledge')}</th>
            </tr>
          </thead>
          <tbody>
            {list.length === 0 ? (
              <tr><td colSpan={6} className="muted center">{t('regulator.noAlerts')}</td></tr>
            ) : (
              list.map((a) => {
                const id = String(a.id);
                const severity = a.severity ?? 'info';
                return (
                  <tr key={id} data-alert-id={id}>
                    <td className="mono small">{formatDateTime(a.createdAt, i18n.language)}</td>
                    <td><span className={`severity severity--${severity}`}>{t(`regulator.severities.${severity}`, { defaultValue: severity })}</span></td>
                    <td className="small">{t(`regulator.rules.${a.rule ?? a.type ?? ''}`, { defaultValue: a.rule ?? a.type ?? '' })}</td>
                    <td className="mono">{a.symbol ?? ''}</td>
                    <td className="small">{a.message ?? a.description ?? ''}{a.participantName ? ` · ${a.participantName}` : ''}</td>
                    <td>
                      {isAcknowledged(a) ? (
                        <span className="muted small">
                          {t('regulator.acknowledged')}
                          {a.acknowledgedBy ? ` · ${a.acknowledgedBy}` : ''}
                          {(a.acknowledgementNote ?? a.note) ? `：${a.acknowledgementNote ?? a.note}` : ''}
                        </span>
                      ) : (
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
                      )}
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      <ErrorNotice error={ack.error} />
    </>
  );
}
