import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { SideLabel } from '../../../shared/components/StatusBadge.tsx';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatDecimal, formatTime } from '../../../shared/format/number.ts';
import { useTrades } from '../api/get-trades.ts';

export function TradeTape({ instrument }: { instrument: Instrument }) {
  const { t, i18n } = useTranslation();
  const trades = useTrades(instrument.symbol);
  return (
    <DataTable
      testId="trade-tape"
      scroll="box"
      caption={t('instrument.tapeCaption', { symbol: instrument.symbol })}
      emptyText={t('market.noTrades')}
      rows={trades.data}
      loading={trades.isPending}
      rowKey={(tr) => tr.id}
      rowProps={(tr) => ({ 'data-trade-id': tr.id })}
      columns={[
        { id: 'time', header: t('instrument.time'), cell: (tr) => formatTime(tr.executedAt, i18n.language), className: 'mono' },
        { id: 'price', header: t('instrument.price'), align: 'number', cell: (tr) => formatDecimal(tr.price, pricePlaces(instrument)), className: (tr) => `trend--${tr.aggressorSide === 'buy' ? 'up' : 'down'}` },
        { id: 'quantity', header: t('instrument.quantity'), align: 'number', cell: (tr) => formatDecimal(tr.quantity, quantityPlaces(instrument)) },
        {
          id: 'side',
          header: t('instrument.direction'),
          cell: (tr) => (
            <>
              <SideLabel side={tr.aggressorSide} />
              {tr.venue !== 'book' ? <span className="venue-tag" data-venue={tr.venue}>{t(`instrument.venues.${tr.venue}`)}</span> : null}
            </>
          ),
        },
      ]}
    />
  );
}
