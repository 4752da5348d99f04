import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument, Order } from '../../../shared/api/types.ts';
import { DataTable } from '../../../shared/components/DataTable.tsx';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { OrderStatusBadge, SideLabel } from '../../../shared/components/StatusBadge.tsx';
import { dec, isDecimalString } from '../../../shared/format/decimal.ts';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatDecimal, formatTime } from '../../../shared/format/number.ts';
import { useAmendOrder } from '../api/amend-order.ts';
import { useCancelOrder } from '../api/cancel-order.ts';

interface OpenOrdersProps {
  orders: readonly Order[] | undefined;
  /** True until the first answer arrives. */
  loading?: boolean;
  instruments: readonly Instrument[];
  caption: string;
  emptyText: string;
  /** Show orders of every status (listing status) or only the live ones. */
  showSymbol?: boolean;
  testId?: string;
}

const LIVE: Order['status'][] = ['open', 'partially_filled'];

export function OpenOrders({ orders, loading, instruments, caption, emptyText, showSymbol = false, testId }: OpenOrdersProps) {
  const { t, i18n } = useTranslation();
  const cancel = useCancelOrder();
  const amend = useAmendOrder();
  const [editing, setEditing] = useState<Order | null>(null);
  const [newPrice, setNewPrice] = useState('');
  const [newQty, setNewQty] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const firstInput = useRef<HTMLInputElement>(null);
  const lastTrigger = useRef<HTMLButtonElement | null>(null);
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));

  const startAmend = (order: Order, trigger: HTMLButtonElement) => {
    lastTrigger.current = trigger;
    setEditing(order);
    setNewPrice(order.price ?? '');
    // The server takes the new total quantity, filled part included.
    setNewQty(order.quantity);
    setDone(null);
    amend.reset();
  };

  // Focus the dialog's first field as it is committed; a timer could fire after the user had
  // started typing elsewhere and move their keystrokes.
  useEffect(() => {
    if (editing) firstInput.current?.focus();
  }, [editing]);

  const closeAmend = () => {
    setEditing(null);
    lastTrigger.current?.focus();
  };

  const submitAmend = (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    const body: { price?: string; quantity?: string } = {};
    if (newPrice.trim() && isDecimalString(newPrice) && !dec(newPrice).equals(editing.price ?? '0')) body.price = newPrice.trim();
    if (newQty.trim() && isDecimalString(newQty) && !dec(newQty).equals(editing.quantity)) body.quantity = newQty.trim();
    amend.mutate(
      { order: editing, ...body },
      {
        onSuccess: () => {
          setDone(t('openOrders.amended', { id: editing.id }));
          closeAmend();
        },
      },
    );
  };

  const actions = (o: Order) =>
    LIVE.includes(o.status) ? (
      <>
        <button type="button" className="btn btn--small" aria-label={t('openOrders.amendOrder', { id: o.id })} onClick={(e) => startAmend(o, e.currentTarget)}>
          {t('openOrders.amend')}
        </button>
        <button
          type="button"
          className="btn btn--small btn--danger"
          aria-label={t('openOrders.cancelOrder', { id: o.id })}
          disabled={cancel.isPending && cancel.variables?.id === o.id}
          onClick={() => cancel.mutate(o, { onSuccess: () => setDone(t('openOrders.cancelled', { id: o.id })) })}
        >
          {t('openOrders.cancel')}
        </button>
      </>
    ) : null;
  const places = (o: Order) => ({ price: pricePlaces(bySymbol.get(o.symbol)), quantity: quantityPlaces(bySymbol.get(o.symbol)) });

  return (
    <div data-testid={testId}>
      <DataTable
        scroll="box"
        caption={caption}
        emptyText={emptyText}
        rows={orders}
        loading={loading}
        rowKey={(o) => o.id}
        rowProps={(o) => ({ 'data-order-id': o.id, 'data-status': o.status })}
        columns={[
          { id: 'id', header: t('openOrders.id'), className: 'mono', cell: (o) => o.id },
          showSymbol && { id: 'symbol', header: t('operator.instrument'), className: 'mono', cell: (o) => o.symbol },
          { id: 'side', header: t('instrument.direction'), cell: (o) => <SideLabel side={o.side} /> },
          { id: 'price', header: t('instrument.price'), align: 'number', cell: (o) => (o.price ? formatDecimal(o.price, places(o).price) : t('orderType.market')) },
          { id: 'quantity', header: t('instrument.quantity'), align: 'number', cell: (o) => formatDecimal(o.quantity, places(o).quantity) },
          { id: 'filled', header: t('openOrders.filled'), align: 'number', cell: (o) => formatDecimal(o.filledQuantity, places(o).quantity) },
          { id: 'status', header: t('openOrders.status'), cell: (o) => <OrderStatusBadge status={o.status} /> },
          { id: 'time', header: t('instrument.time'), className: 'mono', cell: (o) => formatTime(o.createdAt, i18n.language) },
          { id: 'actions', header: t('openOrders.actions'), className: 'actions', cell: actions },
        ]}
      />
      {editing ? (
        <form className="form amend-form" onSubmit={submitAmend} aria-label={t('openOrders.amendHeading', { id: editing.id })}>
          <h3 className="amend-form__title">{t('openOrders.amendHeading', { id: editing.id })}</h3>
          <p className="muted small">{t('openOrders.amendHint')}</p>
          <div className="form__row">
            {editing.type === 'limit' ? (
              <Field label={t('openOrders.newPrice')}>
                <input ref={firstInput} name="amendPrice" inputMode="decimal" value={newPrice} onChange={(e) => setNewPrice(e.target.value)} />
              </Field>
            ) : null}
            <Field label={t('openOrders.newQuantity')}>
              <input name="amendQuantity" inputMode="decimal" value={newQty} onChange={(e) => setNewQty(e.target.value)} />
            </Field>
          </div>
          <ErrorNotice error={amend.error} />
          <div className="form__actions">
            <button type="submit" className="btn btn--primary" disabled={amend.isPending}>{t('openOrders.save')}</button>
            <button type="button" className="btn" onClick={closeAmend}>{t('openOrders.close')}</button>
          </div>
        </form>
      ) : null}
      <ErrorNotice error={cancel.error} />
      {done ? <SuccessNotice>{done}</SuccessNotice> : null}
    </div>
  );
}
