import { useTranslation } from 'react-i18next';
import type { AdminParticipant } from '../api/participants.ts';

export function ParticipantsTable({ participants }: { participants: readonly AdminParticipant[] }) {
  const { t } = useTranslation();
  return (
    <div tabIndex={0} className="scroll-box scroll-box--tall">
      <table className="table table--compact" data-testid="participants">
        <caption className="visually-hidden">{t('operator.participantsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">{t('operator.name')}</th>
            <th scope="col">{t('operator.kind')}</th>
            <th scope="col">{t('operator.region')}</th>
            <th scope="col">{t('operator.prefecture')}</th>
            <th scope="col">{t('openOrders.status')}</th>
          </tr>
        </thead>
        <tbody>
          {participants.length === 0 ? (
            <tr><td colSpan={6} className="muted center">{t('app.noData')}</td></tr>
          ) : (
            participants.map((p) => (
              <tr key={String(p.id)}>
                <td className="mono">{String(p.id)}</td>
                <td>{p.name}</td>
                <td>{t(`roles.${p.kind}`)}</td>
                <td>{p.region}</td>
                <td>{p.prefecture ? t(`prefectures.${p.prefecture}`, { defaultValue: p.prefecture }) : '—'}</td>
                <td>{p.status ? t(`participantStatus.${p.status}`, { defaultValue: p.status }) : '—'}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
