import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import type { SessionUser } from '../../../shared/api/types.ts';
import { signIn } from '../../../shared/auth/session.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { useDemoUsers } from '../api/get-demo-users.ts';
import { useLogin } from '../api/login.ts';

interface LoginPageProps {
  onSignedIn: (user: SessionUser) => void;
}

export function LoginPage({ onSignedIn }: LoginPageProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useLogin();
  const demoUsers = useDemoUsers();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(
      { username: username.trim(), password },
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
    <div className="login">
      <section className="login__intro" aria-labelledby="login-intro-title">
        <h1 id="login-intro-title" className="login__title">{t('app.title')}</h1>
        <p className="login__subtitle">{t('app.subtitle')}</p>
        <p className="login__text">{t('login.intro')}</p>
        <ul className="login__types">
          <li>{t('indicator.farmland')}</li>
          <li>{t('indicator.land_linkage')}</li>
          <li>{t('indicator.wetland')}</li>
          <li>{t('indicator.carbon_sink')}</li>
        </ul>
      </section>
      <div className="login__side">
        <section className="panel login__form" aria-labelledby="login-heading">
          <h2 id="login-heading" className="panel__title">{t('login.heading')}</h2>
          <form onSubmit={submit} className="form" noValidate>
            <Field label={t('login.username')}>
              <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
            </Field>
            <Field label={t('login.password')}>
              <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
            </Field>
            <ErrorNotice error={login.error} />
            <button type="submit" className="btn btn--primary btn--block" disabled={login.isPending || !username || !password}>
              {login.isPending ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
        </section>
        {demoUsers.data && demoUsers.data.length > 0 ? (
          <section className="panel login__demo" aria-labelledby="demo-heading" data-testid="demo-users">
            <h2 id="demo-heading" className="panel__title">{t('login.demoHeading')}</h2>
            <p className="muted small">{t('login.demoNote')}</p>
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">{t('login.username')}</th>
                  <th scope="col">{t('login.password')}</th>
                  <th scope="col">{t('login.role')}</th>
                  <th scope="col">{t('login.participant')}</th>
                  <th scope="col"><span className="visually-hidden">{t('login.use')}</span></th>
                </tr>
              </thead>
              <tbody>
                {demoUsers.data.map((u) => (
                  <tr key={u.username}>
                    <td className="mono">{u.username}</td>
                    <td className="mono">{u.password}</td>
                    <td>{u.role.split(':').map((part) => t(`roles.${part}`, { defaultValue: part })).join(' · ')}</td>
                    <td>{u.participantName ?? '—'}</td>
                    <td>
                      <button
                        type="button"
                        className="btn btn--small"
                        aria-label={t('login.useUser', { username: u.username })}
                        onClick={() => {
                          setUsername(u.username);
                          setPassword(u.password);
                        }}
                      >
                        {t('login.use')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
      </div>
    </div>
  );
}
