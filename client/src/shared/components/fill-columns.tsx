import { useTranslation } from 'react-i18next';
import type { AccountTrade, Instrument } from '../api/types.ts';
import { pricePlaces, quantityPlaces } from '../format/instrument.ts';
import { formatCny, formatDecimal } from '../format/number.ts';
import type { Column } from './DataTable.tsx';
import { SettlementBadge, SideLabel } from './StatusBadge.tsx';

/**
 * The columns one's own fills show wherever they are listed (the order ticket, the account):
 * side, price, quantity, amount, fee and settlement. Figures take the places of the fill's instrument.
 */
export function useFillColumns(instrumentOf: (fill: AccountTrade) => Instrument | undefined): Column<AccountTrade>[] {
  const { t } = useTranslation();
  return [
    { id: 'side', header: t('instrument.direction'), cell: (f) => <SideLabel side={f.side} /> },
    { id: 'price', header: t('instrument.price'), align: 'number', cell: (f) => formatDecimal(f.price, pricePlaces(instrumentOf(f))) },
    { id: 'quantity', header: t('instrument.quantity'), align: 'number', cell: (f) => formatDecimal(f.quantity, quantityPlaces(instrumentOf(f))) },
    { id: 'amount', header: t('fills.amount'), align: 'number', cell: (f) => formatCny(f.amount) },
    { id: 'fee', header: t('fills.fee'), align: 'number', cell: (f) => formatCny(f.fee) },
    { id: 'settlement', header: t('fills.settlement'), cell: (f) => <SettlementBadge status={f.settlementStatus} /> },
  ];
}

/** A fill's row key and attributes: a self-trade is two fills of one trade, one a side. */
export const fillRowKey = (f: AccountTrade) => `${f.tradeId}-${f.side}`;
export const fillRowProps = (f: AccountTrade) => ({ 'data-trade-id': f.tradeId });
