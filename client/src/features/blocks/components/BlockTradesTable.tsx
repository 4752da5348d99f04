import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatDateTime, formatDecimal, formatQuantity } from '../../../shared/format/number.ts';
import { useDecideBlock, type BlockDecision } from '../api/blocks.ts';
import type { Block } from '../../../../../contract/blocks.ts';

interface BlockTradesTableProps {
  blocks: readonly Block[];
  instruments: readonly Instrument[];
  caption: string;
  emptyText: string;
  testId: string;
  /** Regulators and the operator see both parties by name and act on nothing. */
  readOnly?: boolean;
}

/** Block trades one row each, with what the caller may do about an open one. */
export function BlockTradesTable({ blocks, instruments, caption, emptyText, testId, readOnly = false }: BlockTradesTableProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const decide = useDecideBlock();
  const [acting, setActing] = useState<string | null>(null);
  const act = (block: Block, decision: BlockDecision) => {
    setActing(block.id);
    decide.mutate({ id: block.id, decision });
  };
  const instrumentOf = (symbol: string) => instruments.find((i) => i.symbol === symbol);

  return (
    <>
      <div className="scroll-box" tabIndex={0} role="region" aria-label={caption}>
        <table className="table" data-testid={testId}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('block.number')}</th>
              <th scope="col">{t('block.instrument')}</th>
              <th scope="col">{t('block.parties')}</th>
              <th scope="col" className="num">{t('block.price')}</th>
              <th scope="col" className="num">{t('block.quantity')}</th>
              <th scope="col" className="num">{t('block.amount')}</th>
              <th scope="col">{t('block.status')}</th>
              <th scope="col">{t('block.deadline')}</th>
              {readOnly ? null : <th scope="col">{t('block.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {blocks.length === 0 ? (
              <tr>
                <td colSpan={readOnly ? 8 : 9} className="muted center">{emptyText}</td>
              </tr>
            ) : (
              blocks.map((b) => {
                const instrument = instrumentOf(b.symbol);
                const open = b.status === 'proposed';
                const busy = decide.isPending && acting === b.id;
                return (
                  <tr key={b.id} data-block-id={b.id} data-status={b.status}>
                    <td className="mono">
                      {b.id}
                      {b.myRole ? <div className="muted small">{t(`block.roles.${b.myRole}`)}</div> : null}
                    </td>
                    <td>
                      <span className="mono">{b.symbol}</span>
                      <div className="muted small">{b.instrumentName}</div>
                    </td>
                    <td className="small">
                      <div>{t('block.buyer')}: {b.buyer.name}</div>
                      <div>{t('block.seller')}: {b.seller.name}</div>
                    </td>
                    <td className="num">{formatDecimal(b.price, pricePlaces(instrument))}</td>
                    <td className="num">{formatQuantity(b.quantity, b.unit, lang, quantityPlaces(instrument, b.unit))}</td>
                    <td className="num">{formatCny(b.amount)}</td>
                    <td>
                      <span className={`badge badge--block-${b.status}`} data-testid="block-status">{t(`block.statuses.${b.status}`)}</span>
                      {b.reason ? <div className="muted small">{b.reason}</div> : null}
                      {b.tradeId ? <div className="muted small">{t('block.trade', { id: b.tradeId })}</div> : null}
                    </td>
                    <td className="small">{open ? formatDateTime(b.expiresAt, lang) : formatDateTime(b.decidedAt, lang)}</td>
                    {readOnly ? null : (
                      <td>
                        <div className="actions">
                          {open && b.myRole === 'counterparty' ? (
                            <>
                              <button type="button" className="btn btn--small btn--primary" disabled={busy} onClick={() => act(b, 'confirm')}>
                                {t('block.confirm')}
                              </button>
                              <button type="button" className="btn btn--small" disabled={busy} onClick={() => act(b, 'reject')}>
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
                      </td>
                    )}
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      <ErrorNotice error={decide.error} title={t('block.decisionRefused')} />
    </>
  );
}
