import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Holding, IndicatorLot, Instrument } from '../../../shared/api/types.ts';
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

/** Holdings per instrument; each row opens the verified lots its quantity traces back to. */
export function HoldingsTable({ holdings, lots, instruments }: HoldingsTableProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [open, setOpen] = useState<string | null>(null);
  const [consuming, setConsuming] = useState<string | null>(null);
  const [tracing, setTracing] = useState<string | null>(null);
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));

  return (
    <table className="table" data-testid="holdings">
      <caption className="visually-hidden">{t('account.holdingsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('operator.instrument')}</th>
          <th scope="col">{t('account.indicatorType')}</th>
          <th scope="col" className="num">{t('account.available')}</th>
          <th scope="col" className="num">{t('account.locked')}</th>
          <th scope="col">{t('account.lots')}</th>
          <th scope="col">{t('registry.heading')}</th>
        </tr>
      </thead>
      <tbody>
        {holdings.length === 0 ? (
          <tr><td colSpan={6} className="muted center">{t('account.noHoldings')}</td></tr>
        ) : (
          holdings.map((h) => {
            const inst = bySymbol.get(h.symbol);
            const qp = quantityPlaces(inst, h.unit);
            const own = lots.filter((l) => l.symbol === h.symbol);
            const expanded = open === h.symbol;
            return (
              <Fragment key={h.symbol}>
                <tr data-symbol={h.symbol}>
                  <td>
                    <span className="mono">{h.symbol}</span> {inst ? instrumentName(inst, lang) : ''}
                  </td>
                  <td>{t(`indicator.${h.indicatorType}`)}</td>
                  <td className="num">{formatQuantity(h.available, h.unit, lang, qp)}</td>
                  <td className="num">{formatQuantity(h.locked, h.unit, lang, qp)}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn--small"
                      aria-expanded={expanded}
                      aria-controls={`lots-${h.symbol}`}
                      onClick={() => setOpen(expanded ? null : h.symbol)}
                    >
                      {expanded ? t('account.hideLots') : t('account.showLots')} ({own.length})
                    </button>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn--small"
                      aria-expanded={consuming === h.symbol}
                      disabled={!dec(h.available).greaterThan(0)}
                      onClick={() => setConsuming(consuming === h.symbol ? null : h.symbol)}
                    >
                      {t(h.indicatorType === 'carbon_sink' ? 'registry.retire' : 'registry.use')}
                    </button>
                  </td>
                </tr>
                {consuming === h.symbol ? (
                  <tr className="subrow">
                    <td colSpan={6}>
                      <ConsumeForm holding={h} instrument={inst} onClose={() => setConsuming(null)} />
                    </td>
                  </tr>
                ) : null}
                {expanded ? (
                  <tr id={`lots-${h.symbol}`} className="subrow">
                    <td colSpan={6}>
                      <LotTable
                        lots={own}
                        instruments={instruments}
                        caption={`${t('account.lots')} · ${h.symbol}`}
                        actionHeading={t('lineage.trace')}
                        renderAction={(lot) => (
                          <button
                            type="button"
                            className="btn btn--small"
                            aria-expanded={tracing === String(lot.id)}
                            onClick={() => setTracing(tracing === String(lot.id) ? null : String(lot.id))}
                          >
                            {t('lineage.trace')}
                          </button>
                        )}
                      />
                      {tracing && own.some((l) => String(l.id) === tracing) ? <LotLineage lotId={tracing} places={qp} /> : null}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })
        )}
      </tbody>
    </table>
  );
}
