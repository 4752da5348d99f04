import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { formatCny } from '../../../shared/format/number.ts';
import type { AdminParticipant } from '../api/participants.ts';

const matches = (p: AdminParticipant, needle: string) => [p.id, p.name, p.region, p.prefecture].some((v) => v.toLowerCase().includes(needle));

export function ParticipantsTable({ participants, loading }: { participants: readonly AdminParticipant[] | undefined; loading?: boolean }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  return (
    <>
      <Field label={t('operator.searchParticipants')}>
        <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('operator.searchParticipantsHint')} />
      </Field>
      <DataTable
        testId="participants"
        scroll="tall"
        caption={t('operator.participantsCaption')}
        emptyText={needle ? t('operator.noParticipantMatch') : undefined}
        rows={needle ? participants?.filter((p) => matches(p, needle)) : participants}
        loading={loading}
        rowKey={(p) => p.id}
        rowProps={(p) => ({ 'data-participant-id': p.id })}
        columns={[
          { id: 'id', header: 'ID', className: 'mono', cell: (p) => p.id },
          { id: 'name', header: t('operator.name'), cell: (p) => p.name },
          { id: 'kind', header: t('operator.kind'), cell: (p) => t(`roles.${p.kind}`) },
          { id: 'region', header: t('operator.region'), cell: (p) => p.region },
          { id: 'prefecture', header: t('operator.prefecture'), cell: (p) => t(`prefectures.${p.prefecture}`, { defaultValue: p.prefecture }) },
          { id: 'status', header: t('openOrders.status'), cell: (p) => t(`participantStatus.${p.status}`) },
          { id: 'available', header: t('operator.cashAvailable'), align: 'number', cell: (p) => formatCny(p.cashAvailable) },
          { id: 'locked', header: t('operator.cashLocked'), align: 'number', cell: (p) => formatCny(p.cashLocked) },
        ]}
      />
    </>
  );
}
