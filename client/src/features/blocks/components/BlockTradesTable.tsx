import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ConfirmDialog } from '../../../shared/components/ConfirmDialog.tsx';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatDateTime, formatDecimal, formatQuantity } from '../../../shared/format/number.ts';
import { useDecideBlock, type BlockDecision } from '../api/blocks.ts';
import type { Block } from '../../../../../contract/blocks.ts';

interface BlockTradesTableProps {
  blocks: readonly Block[] | undefined;
  /** True until the first answer arrives. */
  loading?: boolean;
  instruments: readonly Instrument[];
  caption: string;
  emptyText: string;
  testId: string;
  /** Regulators and the operator see both parties by name and act on nothing. */
  readOnly?: boolean;
}

/** Block trades one row each, with what the caller may do about an open one. */
export function BlockTradesTable({ blocks, loading, instruments, caption, emptyText, testId, readOnly = false }: BlockTradesTableProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const decide = useDecideBlock();
  const [acting, setActing] = useState<string | null>(null);
  // A confirmation trades at once and a refusal ends the deal: both ask first, with the terms.
  const [asking, setAsking] = useState<{ block: Block; decision: 'confirm' | 'reject' } | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const act = (block: Block, decision: BlockDecision) => {
    setActing(block.id);
    setResult(null);
    decide.mutate(
      { id: block.id, decision },
      {
        onSuccess: (decided) => {
          if (decision === 'confirm' && decided.tradeId) setResult(t('confirm.blockConfirmed', { tradeId: decided.tradeId }));
          else if (decision === 'reject') setResult(t('confirm.blockRejected', { id: decided.id }));
        },
        onSettled: () => setAsking(null),
      },
    );
  };
  const instrumentOf = (symbol: string) => instruments.find((i) => i.symbol === symbol);

  const actions = (b: Block) => {
    const open = b.status === 'proposed';
    const busy = decide.isPending && acting === b.id;
    return (
      <div className="actions">
        {open && b.myRole === 'counterparty' ? (
          <>
            <button type="button" className="btn btn--small btn--primary" disabled={busy} onClick={() => setAsking({ block: b, decision: 'confirm' })}>
              {t('block.confirm')}
            </button>
            <button type="button" className="btn btn--small" disabled={busy} onClick={() => setAsking({ block: b, decision: 'reject' })}>
              {t('block.reject')}
            </button>
          </>
        ) : null}
        {open && b.myRole === 'initiator' ? (
          <button type="button" className="btn btn--small" disabled={busy} onClick={() => act(b, 'cancel')}>
            {t('block.withdraw')}
          </button>
        ) : null}
      </div>
    );
  };

  return (
    <>
      <DataTable
        testId={testId}
        className="table"
        scroll="box"
        scrollLabel={caption}
        caption={caption}
        emptyText={emptyText}
        rows={blocks}
        loading={loading}
        rowKey={(b) => b.id}
        rowProps={(b) => ({ 'data-block-id': b.id, 'data-status': b.status })}
        columns={[
          {
            id: 'number',
            header: t('block.number'),
            className: 'mono',
            cell: (b) => (
              <>
                {b.id}
                {b.myRole ? <div className="muted small">{t(`block.roles.${b.myRole}`)}</div> : null}
              </>
            ),
          },
          {
            id: 'instrument',
            header: t('block.instrument'),
            cell: (b) => (
              <>
                <span className="mono">{b.symbol}</span>
                <div className="muted small">{b.instrumentName}</div>
              </>
            ),
          },
          {
            id: 'parties',
            header: t('block.parties'),
            className: 'small',
            cell: (b) => (
              <>
                <div>{t('block.buyer')}: {b.buyer.name}</div>
                <div>{t('block.seller')}: {b.seller.name}</div>
              </>
            ),
          },
          { id: 'price', header: t('block.price'), align: 'number', cell: (b) => formatDecimal(b.price, pricePlaces(instrumentOf(b.symbol))) },
          { id: 'quantity', header: t('block.quantity'), align: 'number', cell: (b) => formatQuantity(b.quantity, b.unit, lang, quantityPlaces(instrumentOf(b.symbol), b.unit)) },
          { id: 'amount', header: t('block.amount'), align: 'number', cell: (b) => formatCny(b.amount) },
          {
            id: 'status',
            header: t('block.status'),
            cell: (b) => (
              <>
                <span className={`badge badge--block-${b.status}`} data-testid="block-status">{t(`block.statuses.${b.status}`)}</span>
                {b.reason ? <div className="muted small">{b.reason}</div> : null}
                {b.tradeId ? <div className="muted small">{t('block.trade', { id: b.tradeId })}</div> : null}
              </>
            ),
          },
          { id: 'deadline', header: t('block.deadline'), className: 'small', cell: (b) => formatDateTime(b.status === 'proposed' ? b.expiresAt : b.decidedAt, lang) },
          !readOnly && { id: 'actions', header: t('block.actions'), cell: actions },
        ]}
      />
      <ErrorNotice error={decide.error} title={t('block.decisionRefused')} />
      {result ? <SuccessNotice>{result}</SuccessNotice> : null}
      {asking ? (
        <ConfirmDialog
          testId="block-confirm-dialog"
          title={t(asking.decision === 'confirm' ? 'confirm.blockConfirmTitle' : 'confirm.blockRejectTitle')}
          confirmLabel={t(asking.decision === 'confirm' ? 'block.confirm' : 'block.reject')}
          danger={asking.decision === 'reject'}
          busy={decide.isPending}
          onCancel={() => setAsking(null)}
          onConfirm={() => act(asking.block, asking.decision)}
        >
          <BlockSummary block={asking.block} instrument={instrumentOf(asking.block.symbol)} lang={lang} />
          <p>{t(asking.decision === 'confirm' ? 'confirm.blockConfirmNote' : 'confirm.blockRejectNote')}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

/** The terms a counterparty is about to accept or decline, from its own side. */
function BlockSummary({ block, instrument, lang }: { block: Block; instrument: Instrument | undefined; lang: string }) {
  const { t } = useTranslation();
  const ourSide = block.initiatorSide === 'buy' ? 'sell' : 'buy';
  return (
    <dl data-testid="block-summary">
      <dt>{t('confirm.instrument')}</dt>
      <dd>{block.instrumentName} <span className="mono">{block.symbol}</span></dd>
      <dt>{t('confirm.side')}</dt>
      <dd>{t(`side.${ourSide}`)}</dd>
      <dt>{t('confirm.price')}</dt>
      <dd>{formatCny(block.price)}</dd>
      <dt>{t('confirm.quantity')}</dt>
      <dd>{formatQuantity(block.quantity, block.unit, lang, quantityPlaces(instrument, block.unit))}</dd>
      <dt>{t('confirm.amount')}</dt>
      <dd data-testid="block-summary-amount">{formatCny(block.amount)}</dd>
      <dt>{t('confirm.counterparty')}</dt>
      <dd>{block.initiator.name}</dd>
    </dl>
  );
}
