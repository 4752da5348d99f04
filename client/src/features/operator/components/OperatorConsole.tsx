import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useInstruments } from '../../../shared/api/reference-data.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { LotTable } from '../../../shared/components/LotTable.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { useParticipantLots } from '../api/lots.ts';
import { useParticipants } from '../api/participants.ts';
import { AdmitParticipantForm } from './AdmitParticipantForm.tsx';
import { BreakGlassLog } from './BreakGlassLog.tsx';
import { ListingMinimumsForm } from './ListingMinimumsForm.tsx';
import { ListingSettingsForm } from './ListingSettingsForm.tsx';
import { DepositCapForm } from './DepositCapForm.tsx';
import { DepositForm } from './DepositForm.tsx';
import { ParticipantsTable } from './ParticipantsTable.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { Link } from '../../../shared/router/hash-router.tsx';
import { StaffAccounts } from './StaffAccounts.tsx';
import { DeadLetters } from './DeadLetters.tsx';
import { DepositHistory } from './DepositHistory.tsx';

interface OperatorConsoleProps {
  /** 代为挂牌 (app/routes/ListOnBehalf.tsx): it needs the listing feature, which this one does not import. */
  listOnBehalf?: ReactNode;
  /** 冻结/解冻/撤销 of lots (features/lot-controls), given by the app like listOnBehalf. */
  lotControls?: ReactNode;
}

export function OperatorConsole({ listOnBehalf, lotControls }: OperatorConsoleProps) {
  const { t } = useTranslation();
  const participants = useParticipants();
  const instruments = useInstruments();
  const [lotParticipant, setLotParticipant] = useState('');
  const lots = useParticipantLots(lotParticipant);
  const list = participants.data ?? [];
  const selected = list.find((p) => String(p.id) === lotParticipant);

  return (
    <div className="page">
      <div className="page__header">
        <h1 className="page__title">{t('operator.heading')}</h1>
      </div>
      <Panel title={t('operator.participants')}>
        <ErrorNotice error={participants.error} />
        <ParticipantsTable participants={participants.data} loading={participants.isPending} />
      </Panel>
      <div className="grid grid--3">
        <Panel title={t('operator.admit')}>
          <AdmitParticipantForm />
        </Panel>
        <Panel title={t('operator.deposit')}>
          <DepositForm participants={list} />
        </Panel>
        <Panel title={t('operator.lotIntake')} testId="lot-intake">
          <p className="muted small">{t('operator.lotIntakeHint')}</p>
          <p className="row-actions">
            <Link to="/operator/lot-review" className="btn btn--small">{t('nav.lotReview')}</Link>
            <Link to="/operator/lot-approval" className="btn btn--small">{t('nav.lotApproval')}</Link>
          </p>
          <Field label={t('operator.lotsOfParticipant')}>
            <select value={lotParticipant} onChange={(e) => setLotParticipant(e.target.value)} data-testid="lots-participant">
              <option value="">{t('lotSubmissions.choose')}</option>
              {list.map((p) => <option key={p.id} value={String(p.id)}>{p.name}</option>)}
            </select>
          </Field>
        </Panel>
      </div>
      <div className="grid grid--2">
        <Panel title={t('operator.minimums.heading')} testId="listing-minimums">
          <ListingMinimumsForm instruments={instruments.data ?? []} />
        </Panel>
        <Panel title={t('operator.listingSettings.heading')} testId="listing-settings">
          <ListingSettingsForm instruments={instruments.data ?? []} />
        </Panel>
        <Panel title={t('operator.breakGlass.heading')} testId="break-glass-panel">
          <BreakGlassLog />
        </Panel>
      </div>
      <Panel title={t('depositHistory.heading')} testId="deposit-history-panel">
        <DepositHistory />
      </Panel>
      <Panel title={t('deadLetters.heading')} testId="dead-letters-panel">
        <DeadLetters />
      </Panel>
      <Panel title={t('operator.depositCap')} testId="deposit-cap">
        <DepositCapForm />
      </Panel>
      <Panel title={t('staff.heading')} testId="staff-accounts">
        <StaffAccounts />
      </Panel>
      {listOnBehalf ? (
        <Panel title={t('operator.listOnBehalf')} testId="operator-listing">
          {listOnBehalf}
        </Panel>
      ) : null}
      {lotControls ? (
        <Panel title={t('lotControls.title')} testId="operator-lot-controls">
          {lotControls}
        </Panel>
      ) : null}
      {selected ? (
        <Panel title={t('operator.lotsOf', { name: selected.name })}>
          <ErrorNotice error={lots.error} />
          <LotTable lots={lots.data} loading={lots.isPending} instruments={instruments.data ?? []} caption={t('operator.lotsOf', { name: selected.name })} />
        </Panel>
      ) : null}
    </div>
  );
}
