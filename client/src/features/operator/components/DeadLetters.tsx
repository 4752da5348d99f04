import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../../shared/components/ConfirmDialog.tsx';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { formatCny, formatDateTime } from '../../../shared/format/number.ts';
import { useDeadLetters, useReplayDeadLetter } from '../api/dead-letters.ts';
import type { DeadLetter } from '../../../../../contract/settlement.ts';

/**
 * Trades whose settlement failed every retry. The operator fixes the cause, then sends the trade
 * back to settlement; the exactly-once settlement makes a second replay harmless.
 */
export function DeadLetters() {
  const { t, i18n } = useTranslation();
  const letters = useDeadLetters();
  const replay = useReplayDeadLetter();
  const [asking, setAsking] = useState<DeadLetter | null>(null);
  const [replayed, setReplayed] = useState<string | null>(null);

  return (
    <>
      <p className="muted small">{t('deadLetters.explain')}</p>
      <ErrorNotice error={letters.error ?? replay.error} />
      {replayed ? <SuccessNotice>{t('deadLetters.replayed', { id: replayed })}</SuccessNotice> : null}
      <DataTable
        testId="dead-letters"
        caption={t('deadLetters.caption')}
        emptyText={t('deadLetters.none')}
        rows={letters.data}
        loading={letters.isPending}
        rowKey={(d) => d.tradeId}
        rowProps={(d) => ({ 'data-trade-id': d.tradeId })}
        columns={[
          { id: 'trade', header: t('account.tradeId'), className: 'mono', cell: (d) => d.tradeId },
          { id: 'symbol', header: t('deadLetters.symbol'), cell: (d) => d.symbol },
          { id: 'amount', header: t('fills.amount'), align: 'number', cell: (d) => formatCny(d.amount) },
          { id: 'parties', header: t('deadLetters.parties'), cell: (d) => `${d.buyer} ← ${d.seller}` },
          { id: 'failed', header: t('deadLetters.failedAt'), className: 'mono small', cell: (d) => formatDateTime(d.failedAt, i18n.language) },
          { id: 'reason', header: t('deadLetters.reason'), className: 'small', cell: (d) => d.reason ?? '—' },
          {
            id: 'action',
            header: '',
            cell: (d) => (
              <button type="button" className="btn btn--small" onClick={() => setAsking(d)} aria-label={t('deadLetters.replayTrade', { id: d.tradeId })}>
                {t('deadLetters.replay')}
              </button>
            ),
          },
        ]}
      />
      {asking ? (
        <ConfirmDialog
          testId="replay-confirm-dialog"
          title={t('deadLetters.confirmTitle', { id: asking.tradeId })}
          confirmLabel={t('deadLetters.replay')}
          busy={replay.isPending}
          onCancel={() => setAsking(null)}
          onConfirm={() =>
            replay.mutate(asking.tradeId, {
              onSuccess: (r) => setReplayed(r.tradeId),
              onSettled: () => setAsking(null),
            })
          }
        >
          <p>{t('deadLetters.confirmBody', { symbol: asking.symbol, amount: formatCny(asking.amount), buyer: asking.buyer, seller: asking.seller })}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
