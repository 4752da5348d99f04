import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useInstruments } from '../../../shared/api/reference-data.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { LiveBadge } from '../../../shared/components/LiveBadge.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { useRegulatorStats } from '../api/get-stats.ts';
import { useRegulatorLive } from '../api/regulator-live.ts';
import { AlertsPanel } from './AlertsPanel.tsx';
import { AuditViewer } from './AuditViewer.tsx';
import { IntegrityPanel } from './IntegrityPanel.tsx';
import { KpiCards, PrefectureChart, TypeCharts } from './KpiOverview.tsx';
import { LiveStreamTable } from './LiveStreamTable.tsx';
import { TradingControls } from './TradingControls.tsx';

interface RegulatorDashboardProps {
  /** 冻结/解冻 of lots and revocation flags (features/lot-controls), given by the app. */
  lotControls?: ReactNode;
}

export function RegulatorDashboard({ lotControls }: RegulatorDashboardProps) {
  const { t } = useTranslation();
  const stats = useRegulatorStats();
  const instruments = useInstruments();
  const live = useRegulatorLive();
  const list = instruments.data ?? [];

  return (
    <div className="page">
      <div className="page__header">
        <h1 className="page__title">{t('regulator.heading')}</h1>
        <LiveBadge status={live.status} />
      </div>
      <Panel title={t('regulator.kpis')}>
        {stats.isPending ? <Loading /> : null}
        <ErrorNotice error={stats.error} />
        {stats.data ? <KpiCards stats={stats.data} /> : null}
        {stats.data ? <TypeCharts stats={stats.data} instruments={list} /> : null}
      </Panel>
      <div className="grid grid--wide-narrow">
        <Panel title={t('regulator.stream')} testId="stream-panel">
          <LiveStreamTable events={live.events} instruments={list} />
        </Panel>
        <Panel title={t('regulator.byPrefecture')}>
          {stats.data ? <PrefectureChart stats={stats.data} /> : <Loading />}
        </Panel>
      </div>
      <div className="grid grid--2">
        <Panel title={t('regulator.alerts')}>
          <AlertsPanel />
        </Panel>
        <Panel title={t('regulator.controls')}>
          <ErrorNotice error={instruments.error} />
          <TradingControls instruments={list} />
        </Panel>
      </div>
      {lotControls ? (
        <Panel title={t('lotControls.title')} testId="regulator-lot-controls">
          {lotControls}
        </Panel>
      ) : null}
      <Panel title={t('regulator.audit')}>
        <AuditViewer />
      </Panel>
      <Panel title={t('integrity.heading')} testId="integrity-panel">
        <IntegrityPanel />
      </Panel>
    </div>
  );
}
