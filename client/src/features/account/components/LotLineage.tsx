import { useTranslation } from 'react-i18next';
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
      <table className="table table--compact">
        <caption className="visually-hidden">{t('lineage.heading', { id: d.id, ref: d.verificationRef })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('instrument.time')}</th>
            <th scope="col">{t('account.kind')}</th>
            <th scope="col">{t('lineage.from')}</th>
            <th scope="col">{t('lineage.to')}</th>
            <th scope="col" className="num">{t('instrument.quantity')}</th>
            <th scope="col">{t('account.reference')}</th>
          </tr>
        </thead>
        <tbody>
          {d.movements.map((m) => (
            <tr key={m.id}>
              <td className="mono small">{formatDateTime(m.at, lang)}</td>
              <td>{t(`lineage.kinds.${m.kind}`, { defaultValue: m.kind })}</td>
              <td>{m.from ?? '—'}</td>
              <td>{m.to ?? '—'}</td>
              <td className="num">{formatQuantity(m.quantity, d.unit, lang, places)}</td>
              <td className="mono small">{m.tradeId ? `${t('account.tradeId')} ${m.tradeId}` : m.registryActionId ? `#${m.registryActionId}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small">
        <strong>{t('lineage.holders')}：</strong>
        {d.holdings.map((h) => `${h.participant} ${formatQuantity(h.quantity, d.unit, lang, places)}`).join('；') || '—'}
      </p>
    </div>
  );
}
