import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorLot, Instrument } from '../api/types.ts';
import { quantityPlaces } from '../format/instrument.ts';
import { formatDateTime, formatQuantity } from '../format/number.ts';

const ATTRIBUTE_LABELS: Record<string, string> = {
  landType: 'operator.landType',
  qualityGrade: 'operator.qualityGrade',
  methodology: 'operator.methodology',
  serialFrom: 'operator.serialFrom',
  serialTo: 'operator.serialTo',
};

export function LotAttributes({ attributes }: { attributes: IndicatorLot['attributes'] }) {
  const { t } = useTranslation();
  const entries = Object.entries(attributes ?? {});
  if (entries.length === 0) return <>—</>;
  return (
    <>
      {entries.map(([k, v], i) => (
        <span key={k}>
          {i > 0 ? '；' : ''}
          {ATTRIBUTE_LABELS[k] ? t(ATTRIBUTE_LABELS[k]) : k}：{typeof v === 'object' ? JSON.stringify(v) : String(v)}
        </span>
      ))}
    </>
  );
}

interface LotTableProps {
  lots: readonly IndicatorLot[];
  instruments: readonly Instrument[];
  caption: string;
  emptyText?: string;
  /** An extra action cell per lot, e.g. "list for sale". */
  renderAction?: (lot: IndicatorLot) => ReactNode;
  actionHeading?: string;
  testId?: string;
}

export function LotTable({ lots, instruments, caption, emptyText, renderAction, actionHeading, testId }: LotTableProps) {
  const { t, i18n } = useTranslation();
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  return (
    <table className="table table--compact" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('lot.id')}</th>
          <th scope="col">{t('operator.instrument')}</th>
          <th scope="col" className="num">{t('instrument.quantity')}</th>
          <th scope="col">{t('lot.region')}</th>
          <th scope="col">{t('lot.sourceProject')}</th>
          <th scope="col">{t('lot.verificationRef')}</th>
          <th scope="col">{t('lot.vintage')}</th>
          <th scope="col">{t('lot.attributes')}</th>
          <th scope="col">{t('lot.registeredAt')}</th>
          {renderAction ? <th scope="col">{actionHeading}</th> : null}
        </tr>
      </thead>
      <tbody>
        {lots.length === 0 ? (
          <tr><td colSpan={renderAction ? 10 : 9} className="muted center">{emptyText ?? t('account.noLots')}</td></tr>
        ) : (
          lots.map((lot) => {
            const inst = bySymbol.get(lot.symbol);
            return (
              <tr key={String(lot.id)} data-lot-id={String(lot.id)}>
                <td className="mono">{String(lot.id)}</td>
                <td className="mono">{lot.symbol}</td>
                <td className="num">{formatQuantity(lot.quantity, inst?.unit ?? '', i18n.language, quantityPlaces(inst))}</td>
                <td>{lot.region}</td>
                <td>{lot.sourceProject}</td>
                <td className="mono">{lot.verificationRef}</td>
                <td>{lot.vintage ?? '—'}</td>
                <td className="small"><LotAttributes attributes={lot.attributes} /></td>
                <td className="mono small">{formatDateTime(lot.createdAt, i18n.language)}</td>
                {renderAction ? <td>{renderAction(lot)}</td> : null}
              </tr>
            );
          })
        )}
      </tbody>
    </table>
  );
}
