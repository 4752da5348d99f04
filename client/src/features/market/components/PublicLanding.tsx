import { useTranslation } from 'react-i18next';
import type { PublicInstrumentToday } from '../../../../../contract/public-market.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { instrumentName } from '../../../shared/format/instrument.ts';
import { formatCny, formatCnyCompact, formatDecimal, formatPct, formatQuantity } from '../../../shared/format/number.ts';
import { dec } from '../../../shared/format/decimal.ts';
import { Link } from '../../../shared/router/hash-router.tsx';
import { usePublicMarket } from '../api/public-market.ts';
import { PublicSales } from './PublicSales.tsx';

const INDICATOR_ORDER = ['farmland', 'land_linkage', 'wetland', 'carbon_sink'];

function changeClass(change: string | null): string {
  if (change === null) return '';
  const d = dec(change);
  return d.isPositive() && !d.isZero() ? 'trend--up' : d.isNegative() ? 'trend--down' : '';
}

function MarketRow({ row }: { row: PublicInstrumentToday }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <tr data-testid={`public-row-${row.symbol}`}>
      <th scope="row">
        <Link to={`/market/${row.symbol}`}>{instrumentName(row, lang)}</Link>
        <span className="muted"> {row.symbol}</span>
      </th>
      <td className="num">{row.last === null ? t('public.noTrades') : formatCny(row.last)}</td>
      <td className={`num ${changeClass(row.change)}`}>{row.change === null ? '—' : `${formatDecimal(row.change, 2)} (${formatPct(row.changePct)})`}</td>
      <td className="num">{formatQuantity(row.volume, row.unit, lang)}</td>
      <td className="num">{formatCnyCompact(row.turnover, lang)}</td>
      <td className="num">{row.trades}</td>
    </tr>
  );
}

/** The public front page: today's market by indicator type, for anyone, with sign-in one click away. */
export function PublicLanding() {
  const { t } = useTranslation();
  const market = usePublicMarket();
  const rows = market.data?.instruments ?? [];
  const groups = INDICATOR_ORDER.map((type) => ({ type, rows: rows.filter((r) => r.indicatorType === type) })).filter((g) => g.rows.length > 0);

  return (
    <div className="page">
      <div className="page__header">
        <h1 className="page__title">{t('public.heading')}</h1>
        <a className="btn btn--primary" href="#/login" data-testid="public-sign-in">{t('public.signIn')}</a>
      </div>
      <p className="muted">
        {market.data ? t('public.tradingDay', { day: market.data.tradingDay }) : null} {t('public.priceNote')}
      </p>
      {market.isPending ? <Loading /> : null}
      <ErrorNotice error={market.error} />
      {groups.map((group) => (
        <Panel key={group.type} title={t(`indicator.${group.type}`)} testId={`public-group-${group.type}`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('public.instrument')}</th>
                <th scope="col" className="num">{t('public.last')}</th>
                <th scope="col" className="num">{t('public.change')}</th>
                <th scope="col" className="num">{t('public.volume')}</th>
                <th scope="col" className="num">{t('public.turnover')}</th>
                <th scope="col" className="num">{t('public.trades')}</th>
              </tr>
            </thead>
            <tbody>
              {group.rows.map((row) => (
                <MarketRow key={row.symbol} row={row} />
              ))}
            </tbody>
          </table>
        </Panel>
      ))}
      <PublicSales />
    </div>
  );
}
