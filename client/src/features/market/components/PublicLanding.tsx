import { useTranslation } from 'react-i18next';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { instrumentName } from '../../../shared/format/instrument.ts';
import { formatCny, formatCnyCompact, formatDecimal, formatPct, formatQuantity } from '../../../shared/format/number.ts';
import { dec } from '../../../shared/format/decimal.ts';
import { Link } from '../../../shared/router/hash-router.tsx';
import { usePublicMarket } from '../api/public-market.ts';
import { PublicSales } from './PublicSales.tsx';
import { PublicDemandSales } from './PublicDemandSales.tsx';

const INDICATOR_ORDER = ['farmland', 'land_linkage', 'wetland', 'carbon_sink'];

function changeClass(change: string | null): string {
  if (change === null) return '';
  const d = dec(change);
  return d.isPositive() && !d.isZero() ? 'trend--up' : d.isNegative() ? 'trend--down' : '';
}

/** The public front page: today's market by indicator type, for anyone, with sign-in one click away. */
export function PublicLanding() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
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
          <DataTable
            className="table"
            caption={t(`indicator.${group.type}`)}
            rows={group.rows}
            rowKey={(row) => row.symbol}
            rowProps={(row) => ({ 'data-testid': `public-row-${row.symbol}` })}
            columns={[
              {
                id: 'instrument',
                header: t('public.instrument'),
                rowHeader: true,
                cell: (row) => (
                  <>
                    <Link to={`/market/${row.symbol}`}>{instrumentName(row, lang)}</Link>
                    <span className="muted"> {row.symbol}</span>
                  </>
                ),
              },
              { id: 'last', header: t('public.last'), align: 'number', cell: (row) => (row.last === null ? t('public.noTrades') : formatCny(row.last)) },
              {
                id: 'change',
                header: t('public.change'),
                align: 'number',
                className: (row) => changeClass(row.change),
                cell: (row) => (row.change === null ? '—' : `${formatDecimal(row.change, 2)} (${formatPct(row.changePct)})`),
              },
              { id: 'volume', header: t('public.volume'), align: 'number', cell: (row) => formatQuantity(row.volume, row.unit, lang) },
              { id: 'turnover', header: t('public.turnover'), align: 'number', cell: (row) => formatCnyCompact(row.turnover, lang) },
              { id: 'trades', header: t('public.trades'), align: 'number', cell: (row) => row.trades },
            ]}
          />
        </Panel>
      ))}
      <PublicSales />
      <PublicDemandSales />
    </div>
  );
}
