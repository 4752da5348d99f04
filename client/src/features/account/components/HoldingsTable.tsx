import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Holding, IndicatorLot, Instrument } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { LotTable } from '../../../shared/components/LotTable.tsx';
import { instrumentName, quantityPlaces } from '../../../shared/format/instrument.ts';
import { dec } from '../../../shared/format/decimal.ts';
import { formatQuantity } from '../../../shared/format/number.ts';
import { ConsumeForm } from './ConsumeForm.tsx';
import { LotLineage } from './LotLineage.tsx';

interface HoldingsTableProps {
  holdings: readonly Holding[];
  lots: readonly IndicatorLot[];
  instruments: readonly Instrument[];
}

/** Columns of the table, which the detail rows span. */
const COLUMNS = 6;

/** Holdings per instrument; each row opens the verified lots its quantity traces back to. */
export function HoldingsTable({ holdings, lots, instruments }: HoldingsTableProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [open, setOpen] = useState<string | null>(null);
  const [consuming, setConsuming] = useState<string | null>(null);
  const [tracing, setTracing] = useState<string | null>(null);
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));

  const lotsOf = (h: Holding) => lots.filter((l) => l.symbol === h.symbol);
  const lotsButton = (h: Holding) => {
    const expanded = open === h.symbol;
    return (
      <button type="button" className="btn btn--small" aria-expanded={expanded} aria-controls={`lots-${h.symbol}`} onClick={() => setOpen(expanded ? null : h.symbol)}>
        {expanded ? t('account.hideLots') : t('account.showLots')} ({lotsOf(h).length})
      </button>
    );
  };
  const consumeButton = (h: Holding) => (
    <button
      type="button"
      className="btn btn--small"
      aria-expanded={consuming === h.symbol}
      disabled={!dec(h.available).greaterThan(0)}
      onClick={() => setConsuming(consuming === h.symbol ? null : h.symbol)}
    >
      {t(h.indicatorType === 'carbon_sink' ? 'registry.retire' : 'registry.use')}
    </button>
  );
  const details = (h: Holding) => {
    const inst = bySymbol.get(h.symbol);
    const own = lotsOf(h);
    return (
      <>
        {consuming === h.symbol ? (
          <tr className="subrow">
            <td colSpan={COLUMNS}>
              <ConsumeForm holding={h} instrument={inst} onClose={() => setConsuming(null)} />
            </td>
          </tr>
        ) : null}
        {open === h.symbol ? (
          <tr id={`lots-${h.symbol}`} className="subrow">
            <td colSpan={COLUMNS}>
              <LotTable
                lots={own}
                instruments={instruments}
                caption={`${t('account.lots')} · ${h.symbol}`}
                actionHeading={t('lineage.trace')}
                renderAction={(lot) => (
                  <button type="button" className="btn btn--small" aria-expanded={tracing === lot.id} onClick={() => setTracing(tracing === lot.id ? null : lot.id)}>
                    {t('lineage.trace')}
                  </button>
                )}
              />
              {tracing && own.some((l) => l.id === tracing) ? <LotLineage lotId={tracing} places={quantityPlaces(inst, h.unit)} /> : null}
            </td>
          </tr>
        ) : null}
      </>
    );
  };
  const quantity = (h: Holding, value: string) => formatQuantity(value, h.unit, lang, quantityPlaces(bySymbol.get(h.symbol), h.unit));

  return (
    <DataTable
      testId="holdings"
      className="table"
      caption={t('account.holdingsCaption')}
      emptyText={t('account.noHoldings')}
      rows={holdings}
      rowKey={(h) => h.symbol}
      rowProps={(h) => ({ 'data-symbol': h.symbol })}
      rowDetails={details}
      columns={[
        {
          id: 'instrument',
          header: t('operator.instrument'),
          cell: (h) => {
            const inst = bySymbol.get(h.symbol);
            return <><span className="mono">{h.symbol}</span> {inst ? instrumentName(inst, lang) : ''}</>;
          },
        },
        { id: 'type', header: t('account.indicatorType'), cell: (h) => t(`indicator.${h.indicatorType}`) },
        { id: 'available', header: t('account.available'), align: 'number', cell: (h) => quantity(h, h.available) },
        {
          id: 'locked',
          header: t('account.locked'),
          align: 'number',
          cell: (h) => (
            <>
              {quantity(h, h.locked)}
              {h.frozen ? <div className="small lot-status lot-status--frozen" data-testid="holding-frozen">{t('lotControls.ofWhichFrozen', { quantity: quantity(h, h.frozen) })}</div> : null}
            </>
          ),
        },
        { id: 'lots', header: t('account.lots'), cell: lotsButton },
        { id: 'registry', header: t('registry.heading'), cell: consumeButton },
      ]}
    />
  );
}
