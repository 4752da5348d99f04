import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api/client.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
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
      <DataTable
        testId="participant-users"
        caption={t('participantUsers.caption')}
        rows={users.data}
        loading={users.isPending}
        rowKey={(u) => u.id}
        columns={[
          { id: 'username', header: t('participantUsers.username'), className: 'mono', cell: (u) => u.username },
          { id: 'role', header: t('participantUsers.role'), cell: (u) => t(`participantUsers.roles.${u.role}`) },
          { id: 'state', header: t('participantUsers.state'), cell: (u) => <UserAccessActions user={u} participantId={participantId} onChanged={() => void users.refetch()} /> },
        ]}
      />
    </Panel>
  );
}
