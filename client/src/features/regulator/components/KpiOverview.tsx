import { useTranslation } from 'react-i18next';
import type { IndicatorType, Instrument } from '../../../shared/api/types.ts';
import { BarChart } from '../../../shared/components/BarChart.tsx';
import { formatCny, formatCnyCompact, formatQuantity } from '../../../shared/format/number.ts';
import type { RegulatorStats } from '../../../../../contract/regulator.ts';
import { Kpi } from '../../../shared/components/Kpi.tsx';

const TYPES: IndicatorType[] = ['farmland', 'land_linkage', 'wetland', 'carbon_sink'];

function unitOf(type: IndicatorType, instruments: readonly Instrument[]): string {
  return instruments.find((i) => i.indicatorType === type)?.unit ?? (type === 'carbon_sink' ? 'tCO2e' : '亩');
}

export function KpiCards({ stats }: { stats: RegulatorStats }) {
  const { t, i18n } = useTranslation();
  return (
    <dl className="kpis" data-testid="regulator-kpis">
      <Kpi label={t('regulator.kpiValue')} title={formatCny(stats.today.value)}>{formatCnyCompact(stats.today.value, i18n.language)}</Kpi>
      <Kpi label={t('regulator.kpiTrades')} testId="kpi-trades">{stats.today.trades}</Kpi>
      <Kpi label={t('regulator.kpiParticipants')}>{stats.today.activeParticipants}</Kpi>
    </dl>
  );
}

export function TypeCharts({ stats, instruments }: { stats: RegulatorStats; instruments: readonly Instrument[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const valueItems = TYPES.map((type) => ({
    key: type,
    label: t(`indicator.${type}`),
    value: stats.today.valueByType[type] ?? '0',
    display: formatCnyCompact(stats.today.valueByType[type] ?? '0', lang),
  }));
  // Volumes are in different units (亩, tCO2e): each bar is scaled against its own type only.
  const volumeItems = TYPES.map((type) => ({
    key: type,
    label: t(`indicator.${type}`),
    value: stats.today.volumeByType[type] ?? '0',
    display: formatQuantity(stats.today.volumeByType[type] ?? '0', unitOf(type, instruments), lang),
  }));
  return (
    <div className="grid grid--2">
      <div>
        <h3 className="subheading">{t('regulator.byType')}</h3>
        <BarChart items={valueItems} label={t('regulator.chartLabel', { title: t('regulator.byType') })} emptyText={t('app.noData')} />
      </div>
      <div>
        <h3 className="subheading">{t('regulator.byTypeVolume')}</h3>
        <ul className="volume-list" aria-label={t('regulator.byTypeVolume')}>
          {volumeItems.map((v) => (
            <li key={v.key}>
              <span>{v.label}</span>
              <strong>{v.display}</strong>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function PrefectureChart({ stats }: { stats: RegulatorStats }) {
  const { t, i18n } = useTranslation();
  const items = stats.byPrefecture.map((p) => ({
    key: p.prefecture,
    label: t(`prefectures.${p.prefecture}`, { defaultValue: p.prefecture }),
    value: p.value,
    display: formatCnyCompact(p.value, i18n.language),
  }));
  return <BarChart items={items} label={t('regulator.chartLabel', { title: t('regulator.byPrefecture') })} emptyText={t('app.noData')} />;
}
