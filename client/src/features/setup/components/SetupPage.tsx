import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import type { SessionUser } from '../../../shared/api/types.ts';
import { signIn } from '../../../shared/auth/session.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { useCreateFirstOperator } from '../api/create-first-operator.ts';

interface SetupPageProps {
  onSignedIn: (user: SessionUser) => void;
}

/** A production platform's first screen: the setup token printed at start becomes the first operator. */
export function SetupPage({ onSignedIn }: SetupPageProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const create = useCreateFirstOperator();
  const [setupToken, setSetupToken] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [attempted, setAttempted] = useState(false);
  const required = (v: string) => (attempted && !v.trim() ? t('setup.required') : null);
  const mismatch = attempted && confirm !== password ? t('setup.mismatch') : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (!setupToken.trim() || !username.trim() || !password || confirm !== password) return;
    create.mutate(
      { setupToken: setupToken.trim(), username: username.trim(), password },
      {
        onSuccess: (res) => {
          queryClient.clear();
          signIn(res);
          onSignedIn(res.user);
        },
      },
    );
  };

  return (
    <div className="page setup">
      <section className="panel setup__panel" aria-labelledby="setup-heading" data-testid="setup-page">
        <h1 id="setup-heading" className="panel__title">{t('setup.heading')}</h1>
        <p className="muted">{t('setup.intro')}</p>
        <form className="form" onSubmit={submit} noValidate aria-label={t('setup.heading')}>
          <Field label={t('setup.token')} hint={t('setup.tokenHint')} error={required(setupToken)}>
            <input name="setupToken" autoComplete="off" spellCheck={false} className="mono" value={setupToken} onChange={(e) => setSetupToken(e.target.value)} />
          </Field>
          <Field label={t('setup.username')} error={required(username)}>
            <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
          </Field>
          <Field label={t('setup.password')} hint={t('setup.passwordHint')} error={required(password)}>
            <input name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </Field>
          <Field label={t('setup.confirm')} error={mismatch}>
            <input name="confirm" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          </Field>
          <ErrorNotice error={create.error} />
          <button type="submit" className="btn btn--primary btn--block" disabled={create.isPending}>
            {create.isPending ? t('setup.submitting') : t('setup.submit')}
          </button>
        </form>
      </section>
    </div>
  );
}
