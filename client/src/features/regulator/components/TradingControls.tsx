import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
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

  const act = (symbol: string, action: 'halt' | 'resume') => {
    const reason = (reasons[symbol] ?? '').trim();
    if (!reason) {
      setMissing(symbol);
      document.getElementById(`reason-${symbol}`)?.focus();
      return;
    }
    setMissing(null);
    setDone(null);
    control.mutate(
      { symbol, action, reason },
      {
        onSuccess: () => {
          setDone(t(action === 'halt' ? 'regulator.halted' : 'regulator.resumed', { symbol }));
          setReasons((r) => ({ ...r, [symbol]: '' }));
        },
      },
    );
  };

  return (
    <>
      <table className="table table--compact" data-testid="trading-controls">
        <caption className="visually-hidden">{t('regulator.controlsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('operator.instrument')}</th>
            <th scope="col">{t('openOrders.status')}</th>
            <th scope="col">{t('regulator.reason')}</th>
            <th scope="col">{t('openOrders.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {instruments.map((i) => (
            <tr key={i.symbol} data-symbol={i.symbol}>
              <td><span className="mono">{i.symbol}</span> <span className="small">{instrumentName(i, i18n.language)}</span></td>
              <td>
                <InstrumentStatusBadge status={i.status} />
                {i.status === 'halted' && i.haltReason ? <span className="small muted"> {i.haltReason}</span> : null}
              </td>
              <td>
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
              </td>
              <td className="actions">
                {i.status === 'halted' ? (
                  <button type="button" className="btn btn--small btn--primary" aria-label={t('regulator.resumeSymbol', { symbol: i.symbol })} disabled={control.isPending} onClick={() => act(i.symbol, 'resume')}>
                    {t('regulator.resume')}
                  </button>
                ) : (
                  <button type="button" className="btn btn--small btn--danger" aria-label={t('regulator.haltSymbol', { symbol: i.symbol })} disabled={control.isPending} onClick={() => act(i.symbol, 'halt')}>
                    {t('regulator.halt')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNotice error={control.error} />
      {done ? <SuccessNotice>{done}</SuccessNotice> : null}
    </>
  );
}
