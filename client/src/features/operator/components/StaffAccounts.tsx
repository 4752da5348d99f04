import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { UserAccessActions } from '../../../shared/components/UserAccessActions.tsx';
import { useCreateStaff, useStaff, type StaffRole } from '../api/staff.ts';

/** Operator and regulator accounts: outside a demo, the only way a staff account comes to be. */
export function StaffAccounts() {
  const { t } = useTranslation();
  const staff = useStaff();
  const create = useCreateStaff();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<StaffRole>('regulator');
  const [attempted, setAttempted] = useState(false);
  const required = (v: string) => (attempted && !v.trim() ? t('operator.required') : null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (!username.trim() || !password) return;
    create.mutate(
      { username: username.trim(), password, role },
      {
        onSuccess: () => {
          setUsername('');
          setPassword('');
          setAttempted(false);
        },
      },
    );
  };

  return (
    <div className="grid grid--2">
      <div>
        <ErrorNotice error={staff.error} />
        <DataTable
          testId="staff-table"
          caption={t('staff.caption')}
          rows={staff.data}
          loading={staff.isPending}
          rowKey={(u) => u.id}
          columns={[
            { id: 'username', header: t('staff.username'), className: 'mono', cell: (u) => u.username },
            { id: 'role', header: t('staff.role'), cell: (u) => t(`roles.${u.role}`) },
            { id: 'created', header: t('staff.createdAt'), cell: (u) => new Date(u.createdAt).toLocaleString() },
            { id: 'access', header: t('userAccess.heading'), cell: (u) => <UserAccessActions user={u} onChanged={() => void staff.refetch()} /> },
          ]}
        />
      </div>
      <form className="form" onSubmit={submit} noValidate aria-label={t('staff.create')} data-testid="staff-form">
        <Field label={t('staff.username')} error={required(username)}>
          <input name="staffUsername" autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
        </Field>
        <Field label={t('staff.password')} hint={t('staff.passwordHint')} error={required(password)}>
          <input name="staffPassword" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <Field label={t('staff.role')}>
          <select name="staffRole" value={role} onChange={(e) => setRole(e.target.value as StaffRole)}>
            <option value="regulator">{t('roles.regulator')}</option>
            <option value="operator">{t('roles.operator')}</option>
          </select>
        </Field>
        <ErrorNotice error={create.error} />
        {create.data ? <SuccessNotice>{t('staff.created', { username: create.data.username })}</SuccessNotice> : null}
        <button type="submit" className="btn btn--primary" disabled={create.isPending}>{t('staff.submit')}</button>
      </form>
    </div>
  );
}
