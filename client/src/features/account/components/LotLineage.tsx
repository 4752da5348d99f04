import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { formatDateTime, formatQuantity } from '../../../shared/format/number.ts';
import { useLot } from '../api/get-lot.ts';

/** Where a lot's quantity went: registration, trades, uses and retirements, in order. */
export function LotLineage({ lotId, places }: { lotId: string; places: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const lot = useLot(lotId);
  if (lot.isPending) return <Loading />;
  if (lot.error) return <ErrorNotice error={lot.error} />;
  const d = lot.data;
  return (
    <div className="lineage" data-testid="lot-lineage">
      <h3 className="amend-form__title">{t('lineage.heading', { id: d.id, ref: d.verificationRef })}</h3>
      <p className="small muted">
        {d.holder} · {d.region} · {d.sourceProject} · {formatQuantity(d.quantity, d.unit, lang, places)}
      </p>
      <DataTable
        caption={t('lineage.heading', { id: d.id, ref: d.verificationRef })}
        rows={d.movements}
        rowKey={(m) => m.id}
        columns={[
          { id: 'time', header: t('instrument.time'), className: 'mono small', cell: (m) => formatDateTime(m.at, lang) },
          { id: 'kind', header: t('account.kind'), cell: (m) => t(`lineage.kinds.${m.kind}`, { defaultValue: m.kind }) },
          { id: 'from', header: t('lineage.from'), cell: (m) => m.from ?? '—' },
          { id: 'to', header: t('lineage.to'), cell: (m) => m.to ?? '—' },
          { id: 'quantity', header: t('instrument.quantity'), align: 'number', cell: (m) => formatQuantity(m.quantity, d.unit, lang, places) },
          {
            id: 'reference',
            header: t('account.reference'),
            className: 'mono small',
            cell: (m) => (m.tradeId ? `${t('account.tradeId')} ${m.tradeId}` : m.registryActionId ? `#${m.registryActionId}` : ''),
          },
        ]}
      />
      <p className="small">
        <strong>{t('lineage.holders')}：</strong>
        {d.holdings.map((h) => `${h.participant} ${formatQuantity(h.quantity, d.unit, lang, places)}`).join('；') || '—'}
      </p>
    </div>
  );
}
