import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { signIn } from '../../../shared/auth/session.ts';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { useChangePassword } from '../api/change-password.ts';

interface ChangePasswordPageProps {
  /** After an operator's or admin's reset: nothing else is reachable until the password changes. */
  forced: boolean;
  onChanged: () => void;
}

export function ChangePasswordPage({ forced, onChanged }: ChangePasswordPageProps) {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [done, setDone] = useState(false);
  const mismatch = attempted && confirm !== newPassword ? t('password.mismatch') : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    setDone(false);
    if (!currentPassword || !newPassword || confirm !== newPassword) return;
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: (res) => {
          signIn(res);
          setCurrent('');
          setNew('');
          setConfirm('');
          setAttempted(false);
          setDone(true);
          onChanged();
        },
      },
    );
  };

  return (
    <div className="page">
      <section className="panel login__form" aria-labelledby="password-heading" data-testid="password-page">
        <h1 id="password-heading" className="panel__title">{forced ? t('password.forcedHeading') : t('password.heading')}</h1>
        <p className="muted">{forced ? t('password.forcedIntro') : t('password.intro')}</p>
        <form onSubmit={submit} className="form" noValidate>
          <Field label={forced ? t('password.temporary') : t('password.current')}>
            <input name="currentPassword" type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} required />
          </Field>
          <Field label={t('password.new')} hint={t('password.rule')}>
            <input name="newPassword" type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNew(e.target.value)} required minLength={12} />
          </Field>
          <Field label={t('password.confirm')} error={mismatch}>
            <input name="confirmPassword" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
          </Field>
          <ErrorNotice error={change.error} />
          {done ? <SuccessNotice>{t('password.changed')}</SuccessNotice> : null}
          <button type="submit" className="btn btn--primary" disabled={change.isPending}>
            {change.isPending ? t('password.submitting') : t('password.submit')}
          </button>
        </form>
      </section>
    </div>
  );
}
