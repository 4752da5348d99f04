import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { formatDateTime } from '../../../shared/format/number.ts';
import { useAcknowledgeAlert, useAlerts } from '../api/alerts.ts';
import type { Alert } from '../api/types.ts';

function isAcknowledged(a: Alert): boolean {
  return Boolean(a.acknowledgedAt || a.acknowledged);
}

export function AlertsPanel() {
  const { t, i18n } = useTranslation();
  const alerts = useAlerts();
  const ack = useAcknowledgeAlert();
  const [notes, setNotes] = useState<Record<string, string>>({});
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
                    <td className="mono small">{a.rule ?? a.type ?? ''}</td>
                    <td className="mono">{a.symbol ?? ''}</td>
                    <td className="small">{a.message ?? a.description ?? ''}{a.participantName ? ` · ${a.participantName}` : ''}</td>
                    <td>
                      {isAcknowledged(a) ? (
                        <span className="muted small">{t('regulator.acknowledged')}{a.note ? `：${a.note}` : ''}</span>
                      ) : (
                        <form
                          className="inline-form"
                          onSubmit={(e) => {
                            e.preventDefault();
                            ack.mutate({ id: a.id, note: notes[id] ?? '' });
                          }}
                        >
                          <label className="visually-hidden" htmlFor={`ack-note-${id}`}>{t('regulator.ackNote')}</label>
                          <input
                            id={`ack-note-${id}`}
                            className="input--small"
                            placeholder={t('regulator.ackNote')}
                            value={notes[id] ?? ''}
                            onChange={(e) => setNotes((n) => ({ ...n, [id]: e.target.value }))}
                          />
                          <button type="submit" className="btn btn--small" aria-label={t('regulator.acknowledgeAlert', { id })} disabled={ack.isPending}>
                            {t('regulator.acknowledge')}
                          </button>
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
