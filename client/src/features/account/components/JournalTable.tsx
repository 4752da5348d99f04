import { useTranslation } from 'react-i18next';
import type { Instrument, LedgerPosting } from '../../../shared/api/types.ts';
import { dec } from '../../../shared/format/decimal.ts';
import { quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatDateTime, formatQuantity } from '../../../shared/format/number.ts';

export function JournalTable({ postings, instruments }: { postings: readonly LedgerPosting[]; instruments: readonly Instrument[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  const amount = (p: LedgerPosting) => {
    const sign = dec(p.amount).greaterThan(0) ? '+' : '';
    if (p.asset === 'CNY') return `${sign}${formatCny(p.amount)}`;
    const inst = bySymbol.get(p.asset);
    return `${sign}${formatQuantity(p.amount, inst?.unit ?? '', lang, quantityPlaces(inst)).trim()}`;
  };
  return (
    <div tabIndex={0} className="scroll-box scroll-box--tall">
      <table className="table table--compact" data-testid="journal">
        <caption className="visually-hidden">{t('account.journalCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('instrument.time')}</th>
            <th scope="col">{t('account.kind')}</th>
            <th scope="col">{t('account.asset')}</th>
            <th scope="col" className="num">{t('account.amount')}</th>
            <th scope="col">{t('account.reference')}</th>
          </tr>
        </thead>
        <tbody>
          {postings.length === 0 ? (
            <tr><td colSpan={5} className="muted center">{t('app.noData')}</td></tr>
          ) : (
            postings.map((p) => (
              <tr key={String(p.id)}>
                <td className="mono small">{formatDateTime(p.createdAt, lang)}</td>
                <td>{t(`journalKinds.${p.kind}`, { defaultValue: p.kind })}</td>
                <td className="mono">{p.asset}</td>
                <td className={`num ${dec(p.amount).isNegative() ? 'trend--down' : 'trend--up'}`}>{amount(p)}</td>
                <td className="small">{p.reference ?? '—'}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
