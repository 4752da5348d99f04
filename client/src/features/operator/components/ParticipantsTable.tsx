import { useTranslation } from 'react-i18next';
import { formatCny } from '../../../shared/format/number.ts';
import type { AdminParticipant } from '../api/participants.ts';

export function ParticipantsTable({ participants }: { participants: readonly AdminParticipant[] }) {
  const { t } = useTranslation();
  return (
    <div className="scroll-box scroll-box--tall">
      <table className="table table--compact" data-testid="participants">
        <caption className="visually-hidden">{t('operator.participantsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">{t('operator.name')}</th>
            <th scope="col">{t('operator.kind')}</th>
            <th scope="col">{t('operator.region')}</th>
            <th scope="col" className="num">{t('account.cashAvailable')}</th>
            <th scope="col">{t('operator.username')}</th>
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
                <td className="num">{p.cash ? formatCny(p.cash.available) : '—'}</td>
                <td className="mono small">{(p.users ?? []).map((u) => u.username).join(', ')}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
