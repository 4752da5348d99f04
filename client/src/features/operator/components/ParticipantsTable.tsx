import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import type { AdminParticipant } from '../api/participants.ts';

export function ParticipantsTable({ participants, loading }: { participants: readonly AdminParticipant[] | undefined; loading?: boolean }) {
  const { t } = useTranslation();
  return (
    <DataTable
      testId="participants"
      scroll="tall"
      caption={t('operator.participantsCaption')}
      rows={participants}
      loading={loading}
      rowKey={(p) => String(p.id)}
      columns={[
        { id: 'id', header: 'ID', className: 'mono', cell: (p) => String(p.id) },
        { id: 'name', header: t('operator.name'), cell: (p) => p.name },
        { id: 'kind', header: t('operator.kind'), cell: (p) => t(`roles.${p.kind}`) },
        { id: 'region', header: t('operator.region'), cell: (p) => p.region },
        { id: 'prefecture', header: t('operator.prefecture'), cell: (p) => (p.prefecture ? t(`prefectures.${p.prefecture}`, { defaultValue: p.prefecture }) : '—') },
        { id: 'status', header: t('openOrders.status'), cell: (p) => (p.status ? t(`participantStatus.${p.status}`, { defaultValue: p.status }) : '—') },
      ]}
    />
  );
}
