import { useTranslation } from 'react-i18next';
import type { Instrument } from '../../../shared/api/types.ts';
import { InstrumentStatusBadge } from '../../../shared/components/StatusBadge.tsx';
import { dec } from '../../../shared/format/decimal.ts';
import { instrumentName, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatCnyCompact, formatDecimal, formatPct, formatQuantity, unitLabel } from '../../../shared/format/number.ts';

export function InstrumentHeader({ instrument }: { instrument: Instrument }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const change = instrument.changePct ?? null;
  const trend = change === null ? 'flat' : dec(change).greaterThan(0) ? 'up' : dec(change).lessThan(0) ? 'down' : 'flat';
  const unit = unitLabel(instrument.unit, lang);
  const fee = (bps: number | undefined) => `${formatDecimal(dec(bps ?? 0).dividedBy(100), 2)}%`;

  return (
    <div className="instrument-header">
      <div className="instrument-header__title">
        <span className="instrument-card__type">{t(`indicator.${instrument.indicatorType}`)}</span>
        <h1 className="page__title">
          {instrumentName(instrument, lang)} <span className="mono muted">{instrument.symbol}</span>
        </h1>
        <InstrumentStatusBadge status={instrument.status} />
      </div>
      <div className="instrument-header__quote">
        <span className={`instrument-header__price trend--${trend}`} data-testid="instrument-last-price">
          {formatCny(instrument.lastPrice ?? instrument.referencePrice)}
        </span>
        <span className={`trend--${trend}`}>{formatPct(change)}</span>
        <span className="muted small">{t('market.perUnit', { unit })}</span>
      </div>
      <dl className="kv kv--inline">
        <div><dt>{t('market.referencePrice')}</dt><dd>{formatCny(instrument.referencePrice)}</dd></div>
        <div><dt>{t('market.priceBand')}</dt><dd>±{formatDecimal(instrument.priceBandPct, 0)}%</dd></div>
        <div><dt>{t('market.tickSize')}</dt><dd>{formatCny(instrument.tickSize)}</dd></div>
        <div><dt>{t('market.lotSize')}</dt><dd>{formatQuantity(instrument.lotSize, instrument.unit, lang, quantityPlaces(instrument))}</dd></div>
        <div><dt>{t('market.dayVolume')}</dt><dd>{formatQuantity(instrument.dayVolume ?? '0', instrument.unit, lang, quantityPlaces(instrument))}</dd></div>
        <div><dt>{t('market.dayValue')}</dt><dd>{formatCnyCompact(instrument.dayValue ?? '0', lang)}</dd></div>
        <div><dt>{t('market.fees')}</dt><dd>{fee(instrument.buyerFeeBps)} / {fee(instrument.sellerFeeBps)}</dd></div>
        <div><dt>{t('market.sellerKinds')}</dt><dd>{instrument.sellerKinds === 'government' ? t('market.sellerGovernment') : t('market.sellerAny')}</dd></div>
      </dl>
    </div>
  );
}
