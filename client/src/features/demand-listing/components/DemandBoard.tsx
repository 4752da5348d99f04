import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccount, useInstruments } from '../../../shared/api/reference-data.ts';
import { useSession } from '../../../shared/auth/session.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { useDemandListings, type DemandFilter } from '../api/get-demand-listings.ts';
import { useNow } from '../../../shared/hooks/use-now.ts';
import { CreateDemandForm } from './CreateDemandForm.tsx';
import { DemandTable } from './DemandTable.tsx';

const FILTERS: DemandFilter[] = ['active', 'closed'];

/** 需求挂牌: the board of demand listings, and for a participant the form to post one. */
export function DemandBoard() {
  const { t } = useTranslation();
  const session = useSession();
  const participant = session?.user.role === 'participant';
  const [filter, setFilter] = useState<DemandFilter>('active');
  const listings = useDemandListings(filter);
  const instruments = useInstruments();
  const account = useAccount(participant);
  const now = useNow();
  return (
    <div className="page" data-testid="demand-board">
      <div className="page__header">
        <h1 className="page__title">{t('demand.boardHeading')}</h1>
        <span className="muted small">{t('demand.boardHint')}</span>
      </div>
      <div className="segmented listing-filter" role="group" aria-label={t('demand.phase')}>
        {FILTERS.map((f) => (
          <button key={f} type="button" className="segmented__item" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {t(`demand.filters.${f}`)}
          </button>
        ))}
      </div>
      <ErrorNotice error={listings.error} />
      <Panel title={filter === 'active' ? t('demand.board') : t('demand.closedBoard')}>
        <DemandTable rows={listings.data} loading={listings.isPending} now={now} caption={filter === 'active' ? t('demand.boardCaption') : t('demand.closedCaption')} testId="demand-table" />
      </Panel>
      {participant ? (
        <Panel title={t('demand.createHeading')}>
          <CreateDemandForm instruments={instruments.data ?? []} account={account.data} />
        </Panel>
      ) : null}
    </div>
  );
}
