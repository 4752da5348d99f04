import { useTranslation } from 'react-i18next';
import { useAccount, useAccountTrades, useInstruments, useOwnLots } from '../../../shared/api/reference-data.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { useLedger } from '../api/get-ledger.ts';
import { CashSummary } from './CashSummary.tsx';
import { HoldingsTable } from './HoldingsTable.tsx';
import { JournalTable } from './JournalTable.tsx';
import { LocksTable } from './LocksTable.tsx';
import { RegistryActionsTable } from './RegistryActionsTable.tsx';
import { SettlementsTable } from './SettlementsTable.tsx';
import { ParticipantUsers } from './ParticipantUsers.tsx';
import { LotControlNotices } from './LotControlNotices.tsx';

export function AccountPage() {
  const { t } = useTranslation();
  const account = useAccount();
  const instruments = useInstruments();
  const lots = useOwnLots();
  const trades = useAccountTrades();
  const ledger = useLedger();
  const list = instruments.data ?? [];

  return (
    <div className="page">
      <div className="page__header">
        <h1 className="page__title">{t('account.heading')}</h1>
        {account.data ? <span className="muted">{account.data.participant.name} · {account.data.participant.region}</span> : null}
      </div>
      {account.isPending ? <Loading /> : null}
      <ErrorNotice error={account.error} />
      {account.data ? (
        <>
          <Panel title={t('account.cash')}>
            <CashSummary account={account.data} />
          </Panel>
          <LotControlNotices />
          <Panel title={t('account.holdings')}>
            <HoldingsTable holdings={account.data.holdings} lots={lots.data ?? []} instruments={list} />
          </Panel>
          <Panel title={t('locks.heading')} testId="locks-panel">
            <LocksTable instruments={list} />
          </Panel>
        </>
      ) : null}
      <Panel title={t('account.settlements')}>
        <ErrorNotice error={trades.error} />
        <SettlementsTable trades={trades.data} loading={trades.isPending} instruments={list} />
      </Panel>
      <Panel title={t('registry.heading')}>
        <RegistryActionsTable instruments={list} />
      </Panel>
      <Panel title={t('account.journal')}>
        <ErrorNotice error={ledger.error} />
        <JournalTable postings={ledger.data} loading={ledger.isPending} instruments={list} />
      </Panel>
      {account.data ? <ParticipantUsers participantId={String(account.data.participant.id)} /> : null}
    </div>
  );
}
