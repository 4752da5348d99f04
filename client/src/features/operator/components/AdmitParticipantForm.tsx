import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParticipantKind } from '../../../shared/api/types.ts';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { useAdmitParticipant } from '../api/participants.ts';
import { PREFECTURES } from './regions.ts';

export function AdmitParticipantForm() {
  const { t } = useTranslation();
  const admit = useAdmitParticipant();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ParticipantKind>('enterprise');
  const [prefecture, setPrefecture] = useState<string>(PREFECTURES[0]);
  const [county, setCounty] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [attempted, setAttempted] = useState(false);
  const required = (v: string) => (attempted && !v.trim() ? t('operator.required') : null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (!name.trim() || !username.trim() || password.length < 8) return;
    admit.mutate(
      { name: name.trim(), kind, region: `${prefecture}${county.trim()}`, username: username.trim(), password },
      {
        onSuccess: () => {
          setName('');
          setCounty('');
          setUsername('');
          setPassword('');
          setAttempted(false);
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('operator.admit')} data-testid="admit-form">
      <Field label={t('operator.name')} error={required(name)}>
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label={t('operator.kind')}>
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as ParticipantKind)}>
          <option value="government">{t('roles.government')}</option>
          <option value="enterprise">{t('roles.enterprise')}</option>
        </select>
      </Field>
      <div className="form__row">
        <Field label={t('operator.prefecture')}>
          <select name="prefecture" value={prefecture} onChange={(e) => setPrefecture(e.target.value)}>
            {PREFECTURES.map((p) => <option key={p} value={p}>{t(`prefectures.${p}`)}</option>)}
          </select>
        </Field>
        <Field label={t('operator.county')}>
          <input name="county" value={county} onChange={(e) => setCounty(e.target.value)} placeholder="婺源县" />
        </Field>
      </div>
      <div className="form__row">
        <Field label={t('operator.username')} error={required(username)}>
          <input name="username" autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
        </Field>
        <Field label={t('operator.password')} error={required(password) ?? (attempted && password.length < 8 ? t('operator.passwordShort') : null)}>
          <input name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
      </div>
      <ErrorNotice error={admit.error} />
      {admit.data ? <SuccessNotice>{t('operator.admitted', { name: admit.data.participant.name })}</SuccessNotice> : null}
      <button type="submit" className="btn btn--primary" disabled={admit.isPending}>{t('operator.admitSubmit')}</button>
    </form>
  );
}
