import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { InstrumentStatusBadge } from '../../../shared/components/StatusBadge.tsx';
import { Sparkline } from '../../../shared/components/Sparkline.tsx';
import { dec } from '../../../shared/format/decimal.ts';
import { instrumentName, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatCnyCompact, formatPct, formatQuantity, unitLabel } from '../../../shared/format/number.ts';
import { Link } from '../../../shared/router/hash-router.tsx';
import { useCandles } from '../api/get-candles.ts';
import { useTrades } from '../api/get-trades.ts';

export function InstrumentCard({ instrument }: { instrument: Instrument }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const candles = useCandles(instrument.symbol, '1h');
  const name = instrumentName(instrument, lang);
  const change = instrument.changePct ?? null;
  const trend = change === null ? 'flat' : dec(change).greaterThan(0) ? 'up' : dec(change).lessThan(0) ? 'down' : 'flat';
  const trades = useTrades(instrument.symbol);
  // Hourly closes when there is enough history; otherwise the latest trades (kept live by the socket).
  const hourly = (candles.data ?? []).slice(-48).map((c) => c.close);
  const closes = hourly.length >= 6 ? hourly : (trades.data ?? []).slice(0, 30).map((t) => t.price).reverse();
  const unit = unitLabel(instrument.unit, lang);

  return (
    <article className={`card instrument-card instrument-card--${instrument.status}`} data-symbol={instrument.symbol} aria-labelledby={`card-${instrument.symbol}`}>
      <header className="card__header">
        <span className="instrument-card__type">{t(`indicator.${instrument.indicatorType}`)}</span>
        <InstrumentStatusBadge status={instrument.status} />
      </header>
      <h2 className="instrument-card__name" id={`card-${instrument.symbol}`}>
        <Link to={`/instruments/${encodeURIComponent(instrument.symbol)}`} aria-label={t('market.openInstrument', { name })}>
          {name}
        </Link>
        <span className="instrument-card__symbol mono">{instrument.symbol}</span>
      </h2>
      <div className="instrument-card__price-row">
        <div>
          <div className="instrument-card__price" data-testid="last-price">
            {instrument.lastPrice ? formatCny(instrument.lastPrice) : formatCny(instrument.referencePrice)}
          </div>
          <div className="muted small">
            {instrument.lastPrice ? t('market.lastPrice') : t('market.referencePrice')} · {t('market.perUnit', { unit })}
          </div>
        </div>
        <div className={`instrument-card__change trend--${trend}`}>
          <span className="small muted">{t('market.change')}</span>
          <strong>{formatPct(change)}</strong>
        </div>
      </div>
      <Sparkline values={closes} trend={trend} width={260} height={40} label={t('market.sparkline', { name })} />
      <dl className="kv kv--3">
        <div>
          <dt>{t('market.dayVolume')}</dt>
          <dd>{formatQuantity(instrument.dayVolume ?? '0', instrument.unit, lang, quantityPlaces(instrument))}</dd>
        </div>
        <div>
          <dt>{t('market.dayValue')}</dt>
          <dd>{formatCnyCompact(instrument.dayValue ?? '0', lang)}</dd>
        </div>
        <div>
          <dt>{t('market.dayTrades')}</dt>
          <dd>{instrument.dayTrades ?? 0}</dd>
        </div>
      </dl>
      {instrument.status === 'halted' && instrument.haltReason ? (
        <p className="instrument-card__halt small">{t('market.haltedBecause', { reason: instrument.haltReason })}</p>
      ) : null}
    </article>
  );
}
