import { useTranslation } from 'react-i18next';
import { userAccessPath, useUserAccess } from '../api/user-access.ts';
import { useSession } from '../auth/session.ts';
import { ErrorNotice, SuccessNotice } from './ErrorNotice.tsx';

interface UserAccessActionsProps {
  user: { id: string; username: string; disabled: boolean; mustChangePassword: boolean };
  /** Set for a participant admin managing its own users; absent for the operator. */
  participantId?: string;
  onChanged: () => void;
}

/** A user's state and the buttons to disable, enable or reset it; none for one's own account. */
export function UserAccessActions({ user, participantId, onChanged }: UserAccessActionsProps) {
  const { t } = useTranslation();
  const session = useSession();
  const access = useUserAccess(userAccessPath(user.id, participantId), onChanged);
  const self = String(session?.user.id) === user.id;
  const temporary = access.data?.temporaryPassword;

  return (
    <div className="user-access" data-testid={`user-access-${user.username}`}>
      <span className={`badge ${user.disabled ? 'badge--halted' : 'badge--trading'}`}>{user.disabled ? t('userAccess.disabled') : t('userAccess.active')}</span>
      {user.mustChangePassword ? <span className="badge badge--settle-pending">{t('userAccess.mustChange')}</span> : null}
      {self ? null : (
        <>
          <button type="button" className="btn btn--ghost btn--small" disabled={access.isPending} onClick={() => access.mutate(user.disabled ? 'enable' : 'disable')}>
            {user.disabled ? t('userAccess.enable') : t('userAccess.disable')}
          </button>
          <button type="button" className="btn btn--ghost btn--small" disabled={access.isPending} onClick={() => access.mutate('password-reset')}>
            {t('userAccess.reset')}
          </button>
        </>
      )}
      <ErrorNotice error={access.error} />
      {temporary ? (
        <SuccessNotice>
          {t('userAccess.temporary', { username: user.username })} <code className="mono" data-testid="temporary-password">{temporary}</code>
        </SuccessNotice>
      ) : null}
    </div>
  );
}
