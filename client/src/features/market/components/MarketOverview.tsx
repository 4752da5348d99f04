import { useTranslation } from 'react-i18next';
import { useInstruments } from '../../../shared/api/reference-data.ts';
import { ErrorNotice } from '../../../shared/components/ErrorNotice.tsx';
import { LiveBadge } from '../../../shared/components/LiveBadge.tsx';
import { Loading } from '../../../shared/components/Loading.tsx';
import { useMarketLive } from '../api/market-live.ts';
import { InstrumentCard } from './InstrumentCard.tsx';

export function MarketOverview() {
  const { t } = useTranslation();
  const instruments = useInstruments();
  const live = useMarketLive((instruments.data ?? []).map((i) => i.symbol));

  return (
    <div className="page">
      <div className="page__header">
        <h1 className="page__title">{t('market.heading')}</h1>
        <LiveBadge status={live} />
      </div>
      {instruments.isPending ? <Loading /> : null}
      <ErrorNotice error={instruments.error} />
      <div className="card-grid">
        {(instruments.data ?? []).map((instrument) => (
          <InstrumentCard key={instrument.symbol} instrument={instrument} />
        ))}
      </div>
    </div>
  );
}
