import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Instrument, Order } from '../../../shared/api/types.ts';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { OrderStatusBadge, SideLabel } from '../../../shared/components/StatusBadge.tsx';
import { dec, isDecimalString } from '../../../shared/format/decimal.ts';
import { pricePlaces, quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatDecimal, formatTime } from '../../../shared/format/number.ts';
import { useAmendOrder } from '../api/amend-order.ts';
import { useCancelOrder } from '../api/cancel-order.ts';

interface OpenOrdersProps {
  orders: readonly Order[];
  instruments: readonly Instrument[];
  caption: string;
  emptyText: string;
  /** Show orders of every status (listing status) or only the live ones. */
  showSymbol?: boolean;
  testId?: string;
}

const LIVE: Order['status'][] = ['open', 'partially_filled'];

export function OpenOrders({ orders, instruments, caption, emptyText, showSymbol = false, testId }: OpenOrdersProps) {
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

  return (
    <div data-testid={testId}>
      <div tabIndex={0} className="scroll-box">
        <table className="table table--compact">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('openOrders.id')}</th>
              {showSymbol ? <th scope="col">{t('operator.instrument')}</th> : null}
              <th scope="col">{t('instrument.direction')}</th>
              <th scope="col" className="num">{t('instrument.price')}</th>
              <th scope="col" className="num">{t('instrument.quantity')}</th>
              <th scope="col" className="num">{t('openOrders.filled')}</th>
              <th scope="col">{t('openOrders.status')}</th>
              <th scope="col">{t('instrument.time')}</th>
              <th scope="col">{t('openOrders.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {orders.length === 0 ? (
              <tr><td colSpan={showSymbol ? 9 : 8} className="muted center">{emptyText}</td></tr>
            ) : (
              orders.map((o) => {
                const inst = bySymbol.get(o.symbol);
                const live = LIVE.includes(o.status);
                return (
                  <tr key={String(o.id)} data-order-id={String(o.id)} data-status={o.status}>
                    <td className="mono">{String(o.id)}</td>
                    {showSymbol ? <td className="mono">{o.symbol}</td> : null}
                    <td><SideLabel side={o.side} /></td>
                    <td className="num">{o.price ? formatDecimal(o.price, pricePlaces(inst)) : t('orderType.market')}</td>
                    <td className="num">{formatDecimal(o.quantity, quantityPlaces(inst))}</td>
                    <td className="num">{formatDecimal(o.filledQuantity, quantityPlaces(inst))}</td>
                    <td><OrderStatusBadge status={o.status} /></td>
                    <td className="mono">{formatTime(o.createdAt, i18n.language)}</td>
                    <td className="actions">
                      {live ? (
                        <>
                          <button
                            type="button"
                            className="btn btn--small"
                            aria-label={t('openOrders.amendOrder', { id: o.id })}
                            onClick={(e) => startAmend(o, e.currentTarget)}
                          >
                            {t('openOrders.amend')}
                          </button>
                          <button
                            type="button"
                            className="btn btn--small btn--danger"
                            aria-label={t('openOrders.cancelOrder', { id: o.id })}
                            disabled={cancel.isPending && cancel.variables?.id === o.id}
                            onClick={() =>
                              cancel.mutate(o, { onSuccess: () => setDone(t('openOrders.cancelled', { id: o.id })) })
                            }
                          >
                            {t('openOrders.cancel')}
                          </button>
                        </>
                      ) : null}
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
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
