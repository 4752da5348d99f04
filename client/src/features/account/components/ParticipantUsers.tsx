import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api/client.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { UserAccessActions } from '../../../shared/components/UserAccessActions.tsx';
import { useParticipantUsers } from '../api/participant-users.ts';

/** The participant admin's view of its users: state, and disable / enable / reset. Nothing for others. */
export function ParticipantUsers({ participantId }: { participantId: string }) {
  const { t } = useTranslation();
  const users = useParticipantUsers(participantId);
  if (users.error instanceof ApiError && users.error.code === 'NOT_PARTICIPANT_ADMIN') return null;
  return (
    <Panel title={t('participantUsers.heading')}>
      <ErrorNotice error={users.error} />
      <table className="table table--compact" data-testid="participant-users">
        <caption className="visually-hidden">{t('participantUsers.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('participantUsers.username')}</th>
            <th scope="col">{t('participantUsers.role')}</th>
            <th scope="col">{t('participantUsers.state')}</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <td className="mono">{u.username}</td>
              <td>{t(`participantUsers.roles.${u.role}`)}</td>
              <td>
                <UserAccessActions user={u} participantId={participantId} onChanged={() => void users.refetch()} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
