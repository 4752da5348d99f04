import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { pricePlaces } from '../../../shared/format/instrument.ts';
import { useCandles, type CandleInterval } from '../api/get-candles.ts';
import { CandleCanvas } from './CandleCanvas.tsx';

const INTERVALS: CandleInterval[] = ['1m', '1h', '1d'];
const NO_CANDLES: never[] = [];

export function PriceChart({ instrument }: { instrument: Instrument }) {
  const { t } = useTranslation();
  const [interval, setCandleInterval] = useState<CandleInterval>('1h');
  const candles = useCandles(instrument.symbol, interval);

  return (
    <div className="price-chart">
      <div className="segmented" role="group" aria-label={t('instrument.interval')}>
        {INTERVALS.map((iv) => (
          <button key={iv} type="button" className="segmented__item" aria-pressed={interval === iv} onClick={() => setCandleInterval(iv)}>
            {t(`instrument.interval${iv}`)}
          </button>
        ))}
      </div>
      {/* No role="img" here: the chart library adds its attribution link inside the container. */}
      <p className="visually-hidden">{`${t('instrument.candles')} · ${instrument.symbol}`}</p>
      <CandleCanvas candles={candles.data ?? NO_CANDLES} places={pricePlaces(instrument)} />
    </div>
  );
}
