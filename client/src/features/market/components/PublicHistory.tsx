import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DailyBar } from '../../../../../contract/public-market.ts';
import type { Candle } from '../api/get-candles.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { instrumentName } from '../../../shared/format/instrument.ts';
import { formatCny, formatQuantity } from '../../../shared/format/number.ts';
import { Link } from '../../../shared/router/hash-router.tsx';
import { dailyCsvUrl, usePublicDaily, usePublicMarket, type DayRange } from '../api/public-market.ts';
import { CandleCanvas } from './CandleCanvas.tsx';

const RANGES = [30, 90, 365] as const;
type RangeDays = (typeof RANGES)[number];
const BEIJING_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The last `days` Beijing calendar days up to today. */
function lastDays(days: RangeDays): DayRange {
  const today = Date.now() + BEIJING_MS;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(today - (days - 1) * DAY_MS), to: day(today) };
}

/** Days with continuous-market prices as candles; a day of off-book prints only has no candle. */
function candlesOf(days: DailyBar[]): Candle[] {
  return days
    .filter((d) => d.open !== null && d.high !== null && d.low !== null && d.close !== null)
    .map((d) => ({ time: Date.parse(`${d.day}T00:00:00+08:00`) / 1000, open: d.open!, high: d.high!, low: d.low!, close: d.close!, volume: d.volume }));
}

/** One instrument's daily prices, volumes and turnover: a chart, a table and the CSV, for anyone. */
export function PublicHistory({ symbol }: { symbol: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [rangeDays, setRangeDays] = useState<RangeDays>(90);
  const range = useMemo(() => lastDays(rangeDays), [rangeDays]);
  const history = usePublicDaily(symbol, range);
  const market = usePublicMarket();
  const instrument = market.data?.instruments.find((i) => i.symbol === symbol);
  const unit = history.data?.unit ?? instrument?.unit ?? '';
  const days = history.data?.days ?? [];
  const candles = useMemo(() => candlesOf(days), [days]);
  const newestFirst = [...days].reverse();

  return (
    <div className="page">
      <p>
        <Link to="/">{t('public.backToMarket')}</Link>
      </p>
      <div className="page__header">
        <h1 className="page__title">
          {instrument ? instrumentName(instrument, lang) : symbol} <span className="muted mono">{symbol}</span>
        </h1>
        <a className="btn" href={dailyCsvUrl(symbol, range)} download data-testid="daily-csv">
          {t('public.downloadCsv')}
        </a>
      </div>
      <div>
        <div className="segmented" role="group" aria-label={t('public.range')}>
          {RANGES.map((d) => (
            <button key={d} type="button" className="segmented__item" aria-pressed={rangeDays === d} onClick={() => setRangeDays(d)}>
              {t(`public.range${d}`)}
            </button>
          ))}
        </div>
        <p className="muted">{t('public.priceNote')}</p>
      </div>
      <ErrorNotice error={history.error} />
      <Panel title={t('public.dailyChart')}>
        <p className="visually-hidden">{t('public.dailyChartLabel', { symbol })}</p>
        <div className="price-chart">
          <CandleCanvas candles={candles} places={2} timeVisible={false} />
        </div>
      </Panel>
      <Panel title={t('public.dailyTable')} testId="daily-table">
        {history.isPending ? (
          <Loading />
        ) : days.length === 0 ? (
          <p className="muted">{t('public.noDays')}</p>
        ) : (
          <DataTable
            className="table"
            caption={t('public.dailyTable')}
            rows={newestFirst}
            rowKey={(d) => d.day}
            rowProps={(d) => ({ 'data-testid': `day-${d.day}` })}
            columns={[
              { id: 'day', header: t('public.day'), rowHeader: true, className: 'mono', cell: (d) => d.day },
              { id: 'open', header: t('public.open'), align: 'number', cell: (d) => formatCny(d.open) },
              { id: 'high', header: t('public.high'), align: 'number', cell: (d) => formatCny(d.high) },
              { id: 'low', header: t('public.low'), align: 'number', cell: (d) => formatCny(d.low) },
              { id: 'close', header: t('public.close'), align: 'number', cell: (d) => formatCny(d.close) },
              { id: 'vwap', header: t('public.vwap'), align: 'number', cell: (d) => formatCny(d.vwap) },
              { id: 'volume', header: t('public.volume'), align: 'number', cell: (d) => formatQuantity(d.volume, unit, lang) },
              { id: 'turnover', header: t('public.turnover'), align: 'number', cell: (d) => formatCny(d.turnover) },
              { id: 'offBook', header: t('public.offBookVolume'), align: 'number', cell: (d) => formatQuantity(d.offBookVolume, unit, lang) },
            ]}
          />
        )}
      </Panel>
    </div>
  );
}
