import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, Book, Instrument, OrderType, OrderResult, Side, TimeInForce } from '../../../shared/api/types.ts';
import { ErrorNotice, SuccessNotice } from '../../../shared/components/ErrorNotice.tsx';
import { Field } from '../../../shared/components/Field.tsx';
import { quantityPlaces } from '../../../shared/format/instrument.ts';
import { formatCny, formatQuantity, unitLabel } from '../../../shared/format/number.ts';
import { newClientOrderId, usePlaceOrder } from '../api/place-order.ts';
import { assessOrder, priceBand, type RuleError } from '../model/order-rules.ts';

export interface OrderPreset {
  side: Side;
  price?: string;
  quantity?: string;
  /** Changes whenever the caller wants the form reset to this preset. */
  nonce: number;
}

interface OrderEntryFormProps {
  instrument: Instrument;
  account: Account | undefined;
  book: Book | undefined;
  /** Government-only indicators cannot be sold by enterprises. */
  canSell: boolean;
  preset?: OrderPreset;
  title?: string;
  onPlaced?: (response: OrderResult) => void;
}

const LIMIT_TIFS: TimeInForce[] = ['GTC', 'DAY', 'IOC', 'FOK'];
const MARKET_TIFS: TimeInForce[] = ['IOC', 'FOK'];

export function OrderEntryForm({ instrument, account, book, canSell, preset, title, onPlaced }: OrderEntryFormProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const sideName = useId();
  const [side, setSide] = useState<Side>(preset?.side ?? 'buy');
  const [type, setType] = useState<OrderType>('limit');
  const [price, setPrice] = useState(preset?.price ?? '');
  const [quantity, setQuantity] = useState(preset?.quantity ?? '');
  const [tif, setTif] = useState<TimeInForce>('GTC');
  const [attempted, setAttempted] = useState(false);
  const [touched, setTouched] = useState<{ price?: boolean; quantity?: boolean }>({});
  const [accepted, setAccepted] = useState<OrderResult | null>(null);
  const clientOrderId = useRef<string | null>(null);
  const place = usePlaceOrder();

  useEffect(() => {
    if (!preset) return;
    setSide(preset.side);
    if (preset.price !== undefined) {
      setType('limit');
      setPrice(preset.price);
    }
    if (preset.quantity !== undefined) setQuantity(preset.quantity);
    clientOrderId.current = null;
  }, [preset?.nonce]);

  useEffect(() => {
    if (type === 'market' && !MARKET_TIFS.includes(tif)) setTif('IOC');
  }, [type, tif]);

  const holding = account?.holdings.find((h) => h.symbol === instrument.symbol);
  const funds = {
    cashAvailable: account ? account.cash.available : null,
    holdingAvailable: account ? (holding?.available ?? '0') : null,
    holdingFrozen: holding?.frozen ?? null,
  };
  const opposite = side === 'buy' ? (book?.asks ?? []) : (book?.bids ?? []);
  const assessment = assessOrder(instrument, { side, type, price, quantity }, funds, opposite);
  const band = priceBand(instrument);
  const sellBlocked = side === 'sell' && !canSell;
  const unit = unitLabel(instrument.unit, lang);
  const qp = quantityPlaces(instrument);

  const message = (e: RuleError | undefined): string | null => {
    if (!e) return null;
    const { field: _field, key, ...params } = e;
    return t(`order.errors.${key}`, params);
  };
  const show = (f: 'price' | 'quantity') => attempted || touched[f];
  const priceError = show('price') ? message(assessment.errors.find((e) => e.field === 'price')) : null;
  const quantityError = show('quantity') ? message(assessment.errors.find((e) => e.field === 'quantity')) : null;
  const fundsError = message(assessment.errors.find((e) => e.field === 'funds'));

  const edit = (fn: () => void) => {
    fn();
    setAccepted(null);
    clientOrderId.current = null;
    if (place.error) place.reset();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    setAccepted(null);
    if (assessment.errors.length > 0 || sellBlocked) return;
    // Keep the same idempotency key if the user retries after a network failure.
    clientOrderId.current ??= newClientOrderId();
    place.mutate(
      {
        symbol: instrument.symbol,
        side,
        type,
        ...(type === 'limit' ? { price: price.trim() } : {}),
        quantity: quantity.trim(),
        timeInForce: tif,
        clientOrderId: clientOrderId.current,
      },
      {
        onSuccess: (res) => {
          setAccepted(res);
          setAttempted(false);
          setTouched({});
          clientOrderId.current = null;
          onPlaced?.(res);
        },
        onError: (err) => {
          if (!(err instanceof Error && 'code' in err && err.code === 'NETWORK_ERROR')) clientOrderId.current = null;
        },
      },
    );
  };

  return (
    <form className={`form order-form order-form--${side}`} onSubmit={submit} noValidate aria-label={title ?? t('order.heading')} data-testid="order-form">
      <fieldset className="segmented segmented--sides">
        <legend className="visually-hidden">{t('order.side')}</legend>
        {(['buy', 'sell'] as const).map((s) => (
          <label key={s} className={`segmented__item segmented__item--${s}`}>
            <input type="radio" name={sideName} value={s} checked={side === s} onChange={() => edit(() => setSide(s))} />
            {t(`side.${s}`)}
          </label>
        ))}
      </fieldset>
      {sellBlocked ? <p className="notice notice--warn">{t('order.sellNotAllowed')}</p> : null}
      <div className="form__row">
        <Field label={t('order.type')}>
          <select name="type" value={type} onChange={(e) => edit(() => setType(e.target.value as OrderType))}>
            <option value="limit">{t('orderType.limit')}</option>
            <option value="market">{t('orderType.market')}</option>
          </select>
        </Field>
        <Field label={t('order.tif')}>
          <select name="timeInForce" value={tif} onChange={(e) => edit(() => setTif(e.target.value as TimeInForce))}>
            {(type === 'market' ? MARKET_TIFS : LIMIT_TIFS).map((v) => (
              <option key={v} value={v}>{t(`tif.${v}`)}</option>
            ))}
          </select>
        </Field>
      </div>
      {type === 'limit' ? (
        <Field
          label={t('order.price', { unit })}
          error={priceError}
          hint={t('order.bandHint', { low: formatCny(band.low), high: formatCny(band.high) })}
        >
          <input
            name="price"
            inputMode="decimal"
            autoComplete="off"
            value={price}
            onChange={(e) => edit(() => setPrice(e.target.value))}
            onBlur={() => setTouched((s) => ({ ...s, price: true }))}
          />
        </Field>
      ) : (
        <p className="muted small">{t('order.marketHint')}</p>
      )}
      <Field label={t('order.quantity', { unit })} error={quantityError}>
        <input
          name="quantity"
          inputMode="decimal"
          autoComplete="off"
          value={quantity}
          onChange={(e) => edit(() => setQuantity(e.target.value))}
          onBlur={() => setTouched((s) => ({ ...s, quantity: true }))}
        />
      </Field>
      <dl className="kv order-form__summary" aria-live="polite">
        <div>
          <dt>{t('order.notional')}</dt>
          <dd data-testid="order-notional">{assessment.notional ? formatCny(assessment.notional) : type === 'market' && quantity && opposite.length === 0 ? t('order.noLiquidity') : '—'}</dd>
        </div>
        <div>
          <dt>{t('order.fee')}</dt>
          <dd data-testid="order-fee">{assessment.fee ? formatCny(assessment.fee) : '—'}</dd>
        </div>
        {side === 'buy' ? (
          <>
            <div>
              <dt>{t('order.totalLocked')}</dt>
              <dd>{assessment.cashToLock ? formatCny(assessment.cashToLock) : '—'}</dd>
            </div>
            <div>
              <dt>{t('order.availableCash')}</dt>
              <dd data-testid="available-cash">{account ? formatCny(account.cash.available) : '—'}</dd>
            </div>
          </>
        ) : (
          <div>
            <dt>{t('order.availableHoldings')}</dt>
            <dd data-testid="available-holdings">{account ? formatQuantity(holding?.available ?? '0', instrument.unit, lang, qp) : '—'}</dd>
          </div>
        )}
      </dl>
      {fundsError && (attempted || assessment.notional) ? <p className="field__error" role="alert">{fundsError}</p> : null}
      <button type="submit" className={`btn btn--block btn--${side}`} disabled={place.isPending || sellBlocked}>
        {place.isPending ? t('order.submitting') : `${t(side === 'buy' ? 'order.submitBuy' : 'order.submitSell')} ${instrument.symbol}`}
      </button>
      <ErrorNotice error={place.error} title={t('order.rejected')} />
      {accepted ? (
        <SuccessNotice>
          <span data-testid="order-accepted" data-order-id={String(accepted.order.id)}>
            {accepted.fills.length > 0
              ? t('order.acceptedFills', { count: accepted.fills.length })
              : t('order.accepted', { status: t(`orderStatus.${accepted.order.status}`) })}
          </span>
        </SuccessNotice>
      ) : null}
    </form>
  );
}
