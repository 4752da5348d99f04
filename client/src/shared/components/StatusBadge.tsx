import { useTranslation } from 'react-i18next';
import type { InstrumentStatus, OrderStatus, SettlementStatus } from '../api/types.ts';

export function InstrumentStatusBadge({ status }: { status: InstrumentStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge--${status}`} data-status={status}>{t(`status.${status}`)}</span>;
}

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge--order-${status}`} data-status={status}>{t(`orderStatus.${status}`)}</span>;
}

export function SettlementBadge({ status }: { status: SettlementStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge--settle-${status}`} data-status={status}>{t(`settlementStatus.${status}`)}</span>;
}

export function SideLabel({ side }: { side: 'buy' | 'sell' }) {
  const { t } = useTranslation();
  return <span className={`side side--${side}`}>{t(`side.${side}`)}</span>;
}
