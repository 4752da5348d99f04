import { useTranslation } from 'react-i18next';
import { useAccount, useInstruments } from '../../../shared/api/reference-data.ts';
import { useSession } from '../../../shared/auth/session.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Panel } from '../../../shared/components/Panel.tsx';
import { useBlocks } from '../api/blocks.ts';
import { BlockTradesTable } from './BlockTradesTable.tsx';
import { ProposeBlockForm } from './ProposeBlockForm.tsx';

/** 大宗协议: propose a negotiated trade, confirm or decline one, follow them all. */
export function BlockTradesPage() {
  const { t } = useTranslation();
  const session = useSession();
  const participant = session?.user.role === 'participant';
  const instruments = useInstruments();
  const account = useAccount(participant);
  const blocks = useBlocks();
  const all = blocks.data ?? [];
  const awaiting = all.filter((b) => b.status === 'proposed' && b.myRole === 'counterparty');
  const list = instruments.data ?? [];

  return (
    <div className="page">
      <div className="page__header">
        <h1 className="page__title">{t('block.heading')}</h1>
        <span className="muted small">{t('block.hint')}</span>
      </div>
      {participant ? (
        <>
          <Panel title={t('block.awaitingHeading', { count: awaiting.length })} testId="blocks-awaiting">
            <BlockTradesTable blocks={awaiting} loading={blocks.isPending} instruments={list} caption={t('block.awaitingHeading', { count: awaiting.length })} emptyText={t('block.noneAwaiting')} testId="blocks-awaiting-table" />
          </Panel>
          <Panel title={t('block.proposeHeading')}>
            {list.length > 0 ? <ProposeBlockForm instruments={list} account={account.data} /> : null}
          </Panel>
        </>
      ) : null}
      <Panel title={t('block.allHeading')} testId="blocks-all">
        <ErrorNotice error={blocks.error} />
        <BlockTradesTable blocks={all} loading={blocks.isPending} instruments={list} caption={t('block.allHeading')} emptyText={t('block.none')} testId="blocks-table" readOnly={!participant} />
      </Panel>
    </div>
  );
}
