import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { formatInstrumentQuantity } from '../../../shared/format/instrument.ts';
import { formatDateTime } from '../../../shared/format/number.ts';
import { useDownloadRegistryCertificate, useRegistryActions } from '../api/registry.ts';

export function RegistryActionsTable({ instruments }: { instruments: readonly Instrument[] }) {
  const { t, i18n } = useTranslation();
  const actions = useRegistryActions();
  const download = useDownloadRegistryCertificate();
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  return (
    <>
      <ErrorNotice error={actions.error ?? download.error} />
      <DataTable
        testId="registry-actions"
        scroll="box"
        caption={t('registry.caption')}
        rows={actions.data}
        loading={actions.isPending}
        rowKey={(a) => a.id}
        columns={[
          { id: 'time', header: t('instrument.time'), cell: (a) => formatDateTime(a.createdAt, i18n.language), className: 'mono small' },
          { id: 'kind', header: t('account.kind'), cell: (a) => t(a.kind === 'use' ? 'registry.use' : 'registry.retire') },
          { id: 'symbol', header: t('operator.instrument'), cell: (a) => a.symbol, className: 'mono' },
          {
            id: 'quantity',
            header: t('instrument.quantity'),
            align: 'number',
            cell: (a) => formatInstrumentQuantity(a.quantity, bySymbol.get(a.symbol), i18n.language),
          },
          {
            id: 'purpose',
            header: t('registry.purpose'),
            className: 'small',
            cell: (a) => (a.kind === 'use' ? `${a.projectName ?? ''}（${a.approvalRef ?? ''}）` : `${a.beneficiary ?? ''}：${a.reason ?? ''}`),
          },
          {
            id: 'certificate',
            header: t('registry.certificateNo'),
            cell: (a) => (
              <button type="button" className="link-button link" onClick={() => download.mutate(a)} aria-label={t('registry.downloadFor', { no: a.certificateNo })}>
                {a.certificateNo}
              </button>
            ),
          },
        ]}
      />
    </>
  );
}
