import { useTranslation } from 'react-i18next';
import type { Account, IndicatorLot, Instrument } from '../../../shared/api/types.ts';
import { LotTable } from '../../../shared/components/LotTable.tsx';
import { Dec, dec } from '../../../shared/format/decimal.ts';

interface ListableLotsProps {
  lots: readonly IndicatorLot[];
  account: Account | undefined;
  instruments: readonly Instrument[];
  /** Opens a sell order prefilled from the lot. */
  onList: (lot: IndicatorLot, quantity: string) => void;
}

/**
 * The seller's verified lots with a "list for sale" action. The quantity offered is what is still
 * available of that instrument, capped at the lot's size: holdings are fungible per instrument
 * and settlement delivers from lots first-in first-out.
 */
export function ListableLots({ lots, account, instruments, onList }: ListableLotsProps) {
  const { t } = useTranslation();
  const available = (symbol: string) => dec(account?.holdings.find((h) => h.symbol === symbol)?.available ?? '0');
  const tradeable = new Set(instruments.filter((i) => i.status !== 'halted').map((i) => i.symbol));

  return (
    <LotTable
      lots={lots}
      instruments={instruments}
      caption={t('seller.lotsCaption')}
      emptyText={t('seller.noLots')}
      actionHeading={t('openOrders.actions')}
      testId="seller-lots"
      renderAction={(lot) => {
        const qty = Dec.min(dec(lot.quantity), available(lot.symbol));
        const disabled = qty.lessThanOrEqualTo(0) || !tradeable.has(lot.symbol);
        return (
          <button
            type="button"
            className="btn btn--small btn--sell"
            disabled={disabled}
            aria-label={t('seller.listLot', { id: lot.id })}
            onClick={() => onList(lot, qty.toString())}
          >
            {t('seller.list')}
          </button>
        );
      }}
    />
  );
}
