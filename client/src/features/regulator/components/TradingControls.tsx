import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ConfirmDialog } from '../../../shared/components/ConfirmDialog.tsx';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { InstrumentStatusBadge } from '../../../shared/components/StatusBadge.tsx';
import { instrumentName } from '../../../shared/format/instrument.ts';
import { useTradingControl } from '../api/halt-instrument.ts';

export function TradingControls({ instruments }: { instruments: readonly Instrument[] }) {
  const { t, i18n } = useTranslation();
  const control = useTradingControl();
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  // Halting a market reaches every participant at once: the regulator confirms it with the reason in view.
  const [asking, setAsking] = useState<{ symbol: string; action: 'halt' | 'resume'; reason: string } | null>(null);
  const act = (symbol: string, action: 'halt' | 'resume') => {
    const reason = (reasons[symbol] ?? '').trim();
    if (!reason) {
      setMissing(symbol);
      document.getElementById(`reason-${symbol}`)?.focus();
      return;
    }
    setMissing(null);
    setDone(null);
    setAsking({ symbol, action, reason });
  };
  const send = ({ symbol, action, reason }: { symbol: string; action: 'halt' | 'resume'; reason: string }) =>
    control.mutate(
      { symbol, action, reason },
      {
        onSuccess: () => {
          setDone(t(action === 'halt' ? 'regulator.halted' : 'regulator.resumed', { symbol }));
          setReasons((r) => ({ ...r, [symbol]: '' }));
        },
        onSettled: () => setAsking(null),
      },
    );

  const reasonInput = (i: Instrument) => (
    <>
      <label className="visually-hidden" htmlFor={`reason-${i.symbol}`}>{t('regulator.reasonFor', { symbol: i.symbol })}</label>
      <input
        id={`reason-${i.symbol}`}
        name={`reason-${i.symbol}`}
        className="input--small"
        value={reasons[i.symbol] ?? ''}
        aria-invalid={missing === i.symbol ? true : undefined}
        aria-describedby={missing === i.symbol ? `reason-error-${i.symbol}` : undefined}
        onChange={(e) => setReasons((r) => ({ ...r, [i.symbol]: e.target.value }))}
      />
      {missing === i.symbol ? <span id={`reason-error-${i.symbol}`} className="field__error">{t('regulator.reasonRequired')}</span> : null}
    </>
  );
  const haltOrResume = (i: Instrument) =>
    i.status === 'halted' ? (
      <button type="button" className="btn btn--small btn--primary" aria-label={t('regulator.resumeSymbol', { symbol: i.symbol })} disabled={control.isPending} onClick={() => act(i.symbol, 'resume')}>
        {t('regulator.resume')}
      </button>
    ) : (
      <button type="button" className="btn btn--small btn--danger" aria-label={t('regulator.haltSymbol', { symbol: i.symbol })} disabled={control.isPending} onClick={() => act(i.symbol, 'halt')}>
        {t('regulator.halt')}
      </button>
    );

  return (
    <>
      <DataTable
        testId="trading-controls"
        caption={t('regulator.controlsCaption')}
        rows={instruments}
        rowKey={(i) => i.symbol}
        rowProps={(i) => ({ 'data-symbol': i.symbol })}
        columns={[
          { id: 'instrument', header: t('operator.instrument'), cell: (i) => <><span className="mono">{i.symbol}</span> <span className="small">{instrumentName(i, i18n.language)}</span></> },
          {
            id: 'status',
            header: t('openOrders.status'),
            cell: (i) => (
              <>
                <InstrumentStatusBadge status={i.status} />
                {i.status === 'halted' && i.haltReason ? <span className="small muted"> {i.haltReason}</span> : null}
              </>
            ),
          },
          { id: 'reason', header: t('regulator.reason'), cell: reasonInput },
          { id: 'actions', header: t('openOrders.actions'), className: 'actions', cell: haltOrResume },
        ]}
      />
      <ErrorNotice error={control.error} />
      {done ? <SuccessNotice>{done}</SuccessNotice> : null}
      {asking ? (
        <ConfirmDialog
          testId="halt-confirm-dialog"
          title={t(asking.action === 'halt' ? 'confirm.haltTitle' : 'confirm.resumeTitle', { symbol: asking.symbol })}
          confirmLabel={t(asking.action === 'halt' ? 'regulator.halt' : 'regulator.resume')}
          danger={asking.action === 'halt'}
          busy={control.isPending}
          onCancel={() => setAsking(null)}
          onConfirm={() => send(asking)}
        >
          <dl>
            <dt>{t('confirm.instrument')}</dt>
            <dd>{instrumentName(instruments.find((i) => i.symbol === asking.symbol) ?? { symbol: asking.symbol, nameZh: asking.symbol, name: asking.symbol }, i18n.language)} <span className="mono">{asking.symbol}</span></dd>
            <dt>{t('confirm.reason')}</dt>
            <dd>{asking.reason}</dd>
          </dl>
          <p>{t(asking.action === 'halt' ? 'confirm.haltNote' : 'confirm.resumeNote')}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
