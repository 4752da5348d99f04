import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MarketReport, ReportPeriodKind, ReportQuery } from '../../../../../contract/reports.ts';
import { labelOf, reportLabels } from '../../../../../contract/report-labels.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { Kpi } from '../../../shared/components/Kpi.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { formatCny, formatQuantity, placesOf } from '../../../shared/format/number.ts';
import { downloadReport, useMarketReport, type ReportFile } from '../api/market-report.ts';
import { CategoryChart } from './CategoryChart.tsx';
import { PriceSeriesChart } from './PriceSeriesChart.tsx';
import { ReportTable } from './ReportTable.tsx';

const KINDS: ReportPeriodKind[] = ['day', 'week', 'month', 'year', 'range'];
const todayInBeijing = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
/** The regulator's market report: pick a period, read charts and tables, download XLSX or PDF. */
export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [kind, setKind] = useState<ReportPeriodKind>('month');
  const [date, setDate] = useState(todayInBeijing);
  const [from, setFrom] = useState(() => `${todayInBeijing().slice(0, 8)}01`);
  const [to, setTo] = useState(todayInBeijing);
  const query = useMemo<ReportQuery>(() => (kind === 'range' ? { period: kind, from, to } : { period: kind, date }), [kind, date, from, to]);
  const report = useMarketReport(query);
  const [downloading, setDownloading] = useState<ReportFile | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);

  const download = async (file: ReportFile) => {
    if (!report.data) return;
    setDownloading(file);
    setDownloadError(null);
    try {
      await downloadReport(file, query, report.data, lang.startsWith('zh') ? 'zh-CN' : 'en');
    } catch (error) {
      setDownloadError(error);
    } finally {
      setDownloading(null);
    }
  };

  return (
    <div className="page">
      <div className="page__header">
        <h1 className="page__title">{t('reports.heading')}</h1>
        <div className="report-downloads">
          {(['xlsx', 'pdf'] as const).map((file) => (
            <button key={file} type="button" className="btn" disabled={!report.data || downloading !== null} onClick={() => void download(file)} data-testid={`report-download-${file}`}>
              {downloading === file ? t('reports.preparing') : t(`reports.download.${file}`)}
            </button>
          ))}
        </div>
      </div>
      <ErrorNotice error={downloadError} />
      <div className="filters report-controls" role="group" aria-label={t('reports.periodLabel')}>
        <div className="segmented">
          {KINDS.map((k) => (
            <button key={k} type="button" className="segmented__item" aria-pressed={k === kind} onClick={() => setKind(k)}>
              {t(`reports.period.${k}`)}
            </button>
          ))}
        </div>
        {kind === 'range' ? (
          <>
            <Field label={t('reports.from')}>
              <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
            </Field>
            <Field label={t('reports.to')}>
              <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
            </Field>
          </>
        ) : (
          <Field label={t('reports.date')}>
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required data-testid="report-date" />
          </Field>
        )}
      </div>
      <ErrorNotice error={report.error} />
      {report.isPending ? <Loading /> : null}
      {report.data ? <ReportBody report={report.data} lang={lang} stale={report.isPlaceholderData} /> : null}
    </div>
  );
}

function ReportBody({ report, lang, stale }: { report: MarketReport; lang: string; stale: boolean }) {
  const { t } = useTranslation();
  const [symbol, setSymbol] = useState<string | null>(null);
  const series = report.prices.find((s) => s.symbol === symbol) ?? report.prices[0];
  const words = reportLabels(lang.startsWith('zh') ? 'zh-CN' : 'en');
  const c = words.columns;
  const type = (indicatorType: string) => t(`indicator.${indicatorType}`, { defaultValue: indicatorType });
  const quantity = (value: string, unit: string) => formatQuantity(value, unit, lang, placesOf(value));
  const name = (s: { nameZh: string; name: string }) => (lang.startsWith('zh') ? s.nameZh : s.name);

  return (
    <div aria-busy={stale} data-testid="market-report">
      <p className="muted" data-testid="report-period">
        {t('reports.covers', { from: report.period.from, to: report.period.to })}
      </p>
      <dl className="kpis">
        <Kpi label={t('reports.turnover')} testId="report-turnover">{formatCny(report.totals.turnover)}</Kpi>
        <Kpi label={t('reports.trades')} testId="report-trades">{report.totals.trades}</Kpi>
        <Kpi label={t('reports.fees')}>{formatCny(report.totals.fees)}</Kpi>
        <Kpi label={t('reports.listings')}>{t('reports.listingsValue', report.listings)}</Kpi>
      </dl>
      <div className="grid grid--2">
        <Panel title={t('reports.turnoverByType')}>
          <CategoryChart kind="bar" testId="report-chart-types" label={t('reports.turnoverByType')} format={formatCny} data={report.byIndicatorType.map((r) => ({ name: type(r.indicatorType), value: r.turnover }))} />
        </Panel>
        <Panel title={t('reports.turnoverByVenue')}>
          <CategoryChart kind="pie" testId="report-chart-venues" label={t('reports.turnoverByVenue')} format={formatCny} data={report.byVenue.map((r) => ({ name: labelOf(words.venues, r.venue), value: r.turnover }))} />
        </Panel>
      </div>
      <Panel title={t('reports.byInstrument')}>
        <ReportTable
          caption={t('reports.byInstrument')}
          testId="report-instruments"
          rows={report.byInstrument}
          rowKey={(r) => r.symbol}
          columns={[
            { header: c.name, cell: (r) => name(r) },
            { header: c.trades, cell: (r) => r.trades, numeric: true },
            { header: c.quantity, cell: (r) => quantity(r.quantity, r.unit), numeric: true },
            { header: c.turnover, cell: (r) => formatCny(r.turnover), numeric: true },
            { header: c.vwap, cell: (r) => formatCny(r.vwap), numeric: true },
            { header: c.high, cell: (r) => formatCny(r.high), numeric: true },
            { header: c.low, cell: (r) => formatCny(r.low), numeric: true },
            { header: c.close, cell: (r) => formatCny(r.close), numeric: true },
          ]}
        />
      </Panel>
      <div className="grid grid--2">
        <Panel title={t('reports.byRegion')}>
          <ReportTable
            caption={t('reports.byRegion')}
            testId="report-regions"
            rows={report.byRegion}
            rowKey={(r) => `${r.region}|${r.indicatorType}|${r.unit}`}
            columns={[
              { header: c.region, cell: (r) => r.region },
              { header: c.indicatorType, cell: (r) => type(r.indicatorType) },
              { header: c.trades, cell: (r) => r.trades, numeric: true },
              { header: c.quantity, cell: (r) => quantity(r.quantity, r.unit), numeric: true },
              { header: c.turnover, cell: (r) => formatCny(r.turnover), numeric: true },
            ]}
          />
        </Panel>
        <Panel title={t('reports.byKind')}>
          <ReportTable
            caption={t('reports.byKind')}
            testId="report-kinds"
            rows={report.byParticipantKind}
            rowKey={(r) => `${r.side}|${r.kind}`}
            columns={[
              { header: c.side, cell: (r) => labelOf(words.sides, r.side) },
              { header: c.kind, cell: (r) => labelOf(words.kinds, r.kind) },
              { header: c.trades, cell: (r) => r.trades, numeric: true },
              { header: c.turnover, cell: (r) => formatCny(r.turnover), numeric: true },
            ]}
          />
          <h3 className="table__caption">{t('reports.turnoverByVenue')}</h3>
          <ReportTable
            caption={t('reports.turnoverByVenue')}
            testId="report-venues"
            rows={report.byVenue}
            rowKey={(r) => r.venue}
            columns={[
              { header: c.venue, cell: (r) => labelOf(words.venues, r.venue) },
              { header: c.trades, cell: (r) => r.trades, numeric: true },
              { header: c.turnover, cell: (r) => formatCny(r.turnover), numeric: true },
            ]}
          />
        </Panel>
      </div>
      <div className="grid grid--2">
        <Panel title={t('reports.registry')}>
          <ReportTable
            caption={t('reports.registry')}
            testId="report-registry"
            rows={report.registry}
            rowKey={(r) => `${r.kind}|${r.indicatorType}|${r.unit}`}
            columns={[
              { header: c.registryKind, cell: (r) => labelOf(words.registryKinds, r.kind) },
              { header: c.indicatorType, cell: (r) => type(r.indicatorType) },
              { header: c.actions, cell: (r) => r.actions, numeric: true },
              { header: c.quantity, cell: (r) => quantity(r.quantity, r.unit), numeric: true },
            ]}
          />
        </Panel>
        <Panel title={t('reports.alerts')}>
          <ReportTable
            caption={t('reports.alerts')}
            testId="report-alerts"
            rows={report.alerts}
            rowKey={(r) => `${r.rule}|${r.status}`}
            columns={[
              { header: c.rule, cell: (r) => labelOf(words.rules, r.rule) },
              { header: c.status, cell: (r) => labelOf(words.alertStatus, r.status) },
              { header: c.alerts, cell: (r) => r.alerts, numeric: true },
            ]}
          />
        </Panel>
      </div>
      <Panel title={t('reports.top')}>
        <ReportTable
          caption={t('reports.top')}
          testId="report-top"
          rows={report.topParticipants}
          rowKey={(r) => r.participantId}
          columns={[
            { header: c.participant, cell: (r) => r.name },
            { header: c.kind, cell: (r) => labelOf(words.kinds, r.kind) },
            { header: c.trades, cell: (r) => r.trades, numeric: true },
            { header: c.turnover, cell: (r) => formatCny(r.turnover), numeric: true },
            { header: c.bought, cell: (r) => formatCny(r.bought), numeric: true },
            { header: c.sold, cell: (r) => formatCny(r.sold), numeric: true },
          ]}
        />
      </Panel>
      <Panel
        title={t('reports.prices')}
        actions={
          report.prices.length > 1 ? (
            <Field label={c.name}>
              <select value={series?.symbol ?? ''} onChange={(e) => setSymbol(e.target.value)}>
                {report.prices.map((s) => (
                  <option key={s.symbol} value={s.symbol}>
                    {name(s)}
                  </option>
                ))}
              </select>
            </Field>
          ) : null
        }
      >
        {series ? (
          <>
            <PriceSeriesChart points={series.points} label={t('reports.pricesOf', { name: name(series) })} />
            <p className="muted">{t('reports.pricesLegend')}</p>
          </>
        ) : (
          <p className="muted">{t('reports.none')}</p>
        )}
      </Panel>
    </div>
  );
}
