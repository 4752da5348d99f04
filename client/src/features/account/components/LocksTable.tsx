import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { formatInstrumentQuantity, instrumentName } from '../../../shared/format/instrument.ts';
import { formatCny } from '../../../shared/format/number.ts';
import type { Instrument } from '../../../shared/api/types.ts';
import type { LockLine } from '../../../../../contract/account.ts';
import { useLocks } from '../api/get-locks.ts';

/** Why cash and quantity are locked: what holds each part, adding up to the locked balances above. */
export function LocksTable({ instruments }: { instruments: readonly Instrument[] }) {
  const { t, i18n } = useTranslation();
  const locks = useLocks();
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  const what = (l: LockLine) => (l.source === 'reservation' ? t(`locks.purpose.${l.purpose ?? 'other'}`, { defaultValue: l.purpose ?? '' }) : t(`locks.source.${l.source}`));
  const amount = (l: LockLine) => {
    if (l.asset === 'CNY') return formatCny(l.amount);
    return formatInstrumentQuantity(l.amount, bySymbol.get(l.asset), i18n.language);
  };
  return (
    <>
      <ErrorNotice error={locks.error} />
      <DataTable
        testId="locks"
        caption={t('locks.caption')}
        emptyText={t('locks.none')}
        rows={locks.data}
        loading={locks.isPending}
        rowKey={(l) => `${l.asset}|${l.source}|${l.purpose ?? ''}`}
        rowProps={(l) => ({ 'data-asset': l.asset, 'data-source': l.source, 'data-purpose': l.purpose ?? '' })}
        columns={[
          { id: 'asset', header: t('locks.asset'), cell: (l) => (l.asset === 'CNY' ? t('locks.cash') : bySymbol.get(l.asset) ? instrumentName(bySymbol.get(l.asset)!, i18n.language) : l.asset) },
          { id: 'what', header: t('locks.heldBy'), cell: what },
          { id: 'count', header: t('locks.count'), align: 'number', cell: (l) => String(l.count) },
          { id: 'amount', header: t('locks.amount'), align: 'number', cell: amount },
        ]}
      />
    </>
  );
}
