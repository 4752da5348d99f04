import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccount, useAccountTrades, useInstrument, useInstruments } from '../../shared/api/reference-data.ts';
import { useSession } from '../../shared/auth/session.ts';
import { ErrorNotice } from '../../shared/components/ErrorNotice.tsx';
import { LiveBadge } from '../../shared/components/LiveBadge.tsx';
import { Loading } from '../../shared/components/Loading.tsx';
import { Panel } from '../../shared/components/Panel.tsx';
import { Link } from '../../shared/router/hash-router.tsx';
import { useBook } from '../../features/market/api/get-book.ts';
import { useMarketLive } from '../../features/market/api/market-live.ts';
import { DepthChart } from '../../features/market/components/DepthChart.tsx';
import { InstrumentHeader } from '../../features/market/components/InstrumentHeader.tsx';
import { OrderBookLadder } from '../../features/market/components/OrderBookLadder.tsx';
import { PriceChart } from '../../features/market/components/PriceChart.tsx';
import { TradeTape } from '../../features/market/components/TradeTape.tsx';
import { useOrders } from '../../features/orders/api/get-orders.ts';
import { OpenOrders } from '../../features/orders/components/OpenOrders.tsx';
import { OrderEntryForm, type OrderPreset } from '../../features/orders/components/OrderEntryForm.tsx';
import { OwnFills } from '../../features/orders/components/OwnFills.tsx';

/** The instrument screen: market data from the market feature, trading from the orders feature. */
export function InstrumentRoute({ symbol }: { symbol: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const isParticipant = session?.user.role === 'participant';
  const { instrument, isPending, error } = useInstrument(symbol);
  const instruments = useInstruments();
  const live = useMarketLive(instrument ? [symbol] : []);
  const book = useBook(symbol);
  const account = useAccount(isParticipant);
  const orders = useOrders('open', symbol, isParticipant);
  const fills = useAccountTrades(isParticipant);
  const [preset, setPreset] = useState<OrderPreset | undefined>(undefined);

  if (isPending) return <div className="page"><Loading /></div>;
  if (error) return <div className="page"><ErrorNotice error={error} /></div>;
  if (!instrument) {
    return (
      <div className="page">
        <p className="notice notice--warn">{t('instrument.unknown', { symbol })}</p>
        <Link to="/">{t('instrument.back')}</Link>
      </div>
    );
  }

  const kind = account.data?.participant.kind;
  const canSell = instrument.sellerKinds !== 'government' || kind === 'government';
  const liveOrders = (orders.data ?? []).filter((o) => o.status === 'open' || o.status === 'partially_filled');
  const ownFills = (fills.data ?? []).filter((f) => f.symbol === symbol);

  return (
    <div className="page page--instrument">
      <div className="page__crumbs">
        <Link to="/">{t('nav.market')}</Link> <span aria-hidden="true">›</span> <span>{instrument.symbol}</span>
        <LiveBadge status={live} />
      </div>
      <InstrumentHeader instrument={instrument} />
      {instrument.status === 'halted' ? (
        <div className="notice notice--error" role="status" data-testid="halt-banner">
          <strong>{t('instrument.halted')}</strong>
          {instrument.haltReason ? <span>{t('market.haltedBecause', { reason: instrument.haltReason })}</span> : null}
        </div>
      ) : null}
      <div className="instrument-grid">
        <Panel title={t('instrument.book')} className="instrument-grid__book">
          <OrderBookLadder
            instrument={instrument}
            onPickPrice={isParticipant ? (price) => setPreset((p) => ({ side: p?.side ?? 'buy', price, nonce: Date.now() })) : undefined}
          />
        </Panel>
        <div className="instrument-grid__charts">
          <Panel title={t('instrument.candles')}>
            <PriceChart instrument={instrument} />
          </Panel>
          <Panel title={t('instrument.depthChart')}>
            <DepthChart instrument={instrument} />
          </Panel>
        </div>
        <div className="instrument-grid__side">
          <Panel title={t('order.heading')}>
            {isParticipant ? (
              <OrderEntryForm instrument={instrument} account={account.data} book={book.data} canSell={canSell} preset={preset} />
            ) : (
              <p className="muted">{t('order.readOnly')}</p>
            )}
          </Panel>
          <Panel title={t('instrument.tape')}>
            <TradeTape instrument={instrument} />
          </Panel>
        </div>
      </div>
      {isParticipant ? (
        <div className="grid grid--2">
          <Panel title={t('openOrders.heading')}>
            <ErrorNotice error={orders.error} />
            <OpenOrders
              orders={liveOrders}
              loading={orders.isPending}
              instruments={instruments.data ?? []}
              caption={t('openOrders.caption')}
              emptyText={t('openOrders.none')}
              testId="open-orders"
            />
          </Panel>
          <Panel title={t('fills.heading')}>
            <OwnFills fills={ownFills} loading={fills.isPending} instrument={instrument} />
          </Panel>
        </div>
      ) : null}
    </div>
  );
}
