import { useTranslation } from 'react-i18next';
import type { AccountTrade, Instrument } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { fillRowKey, fillRowProps, useFillColumns } from '../../../shared/components/fill-columns.tsx';
import { formatTime } from '../../../shared/format/number.ts';

export function OwnFills({ fills, instrument, loading }: { fills: readonly AccountTrade[] | undefined; instrument: Instrument; loading?: boolean }) {
  const { t, i18n } = useTranslation();
  const fillColumns = useFillColumns(() => instrument);
  return (
    <DataTable
      testId="own-fills"
      scroll="box"
      caption={t('fills.caption')}
      emptyText={t('fills.none')}
      rows={fills}
      loading={loading}
      rowKey={fillRowKey}
      rowProps={fillRowProps}
      columns={[{ id: 'time', header: t('instrument.time'), cell: (f) => formatTime(f.executedAt, i18n.language), className: 'mono' }, ...fillColumns]}
    />
  );
}
