import { fixed, money } from '../shared/decimal.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import type { AccountTrade, IndicatorLot, LedgerPosting, LockLine, OwnLot } from '../../contract/account.ts';
import type { SettlementStatus } from '../../contract/common.ts';
import type { LockLineRow, LotRow, OwnPostingRow, OwnTradeRow } from './account-queries.ts';

// A participant's own rows as the contract sends them: figures to the instrument's places.

function specOf(instruments: InstrumentCatalog, symbol: string) {
  const spec = instruments.spec(symbol);
  // Lots, trades and postings reference instruments by foreign key: a missing one is a bug.
  if (!spec) throw new Error(`instrument ${symbol} is not in the catalog`);
  return spec;
}

export function ownTradeView(instruments: InstrumentCatalog, participantId: string, t: OwnTradeRow): AccountTrade {
  const spec = specOf(instruments, t.symbol);
  const side = t.buyer_id === participantId ? 'buy' : 'sell';
  return {
    tradeId: t.id,
    orderId: side === 'buy' ? t.buy_order_id : t.sell_order_id,
    symbol: t.symbol,
    side,
    price: fixed(t.price, spec.pricePlaces),
    quantity: fixed(t.quantity, spec.qtyPlaces),
    amount: money(t.amount),
    fee: money(side === 'buy' ? t.buyer_fee : t.seller_fee),
    executedAt: t.executed_at.toISOString(),
    settlementStatus: t.status as SettlementStatus,
    certificateNo: t.certificate_no,
  };
}

export function postingView(instruments: InstrumentCatalog, r: OwnPostingRow): LedgerPosting {
  const spec = instruments.spec(r.asset); // undefined for cash
  return {
    id: r.id,
    transferId: r.transfer_id,
    kind: r.kind,
    reference: r.reference,
    asset: r.asset,
    amount: spec ? fixed(r.amount, spec.qtyPlaces) : money(r.amount),
    createdAt: r.created_at.toISOString(),
  };
}

export function lotView(instruments: InstrumentCatalog, r: LotRow): IndicatorLot {
  const spec = specOf(instruments, r.symbol);
  return {
    id: r.id,
    participantId: r.participant_id,
    symbol: r.symbol,
    indicatorType: spec.row.indicator_type,
    quantity: fixed(r.quantity, spec.qtyPlaces),
    unit: spec.row.unit,
    region: r.region,
    sourceProject: r.source_project,
    verificationRef: r.verification_ref,
    vintage: r.vintage,
    attributes: r.attributes as IndicatorLot['attributes'],
    createdAt: r.created_at.toISOString(),
  };
}

/** A piece the participant holds now, beside the lot it came from (quantity = held now). */
export function ownLotView(instruments: InstrumentCatalog, r: LotRow & { held: string; acquired_at: Date }): OwnLot {
  const lot = lotView(instruments, r);
  return { ...lot, quantity: fixed(r.held, specOf(instruments, r.symbol).qtyPlaces), originalQuantity: lot.quantity, acquiredAt: r.acquired_at.toISOString() };
}

export function lockLineView(instruments: InstrumentCatalog, r: LockLineRow): LockLine {
  const spec = instruments.spec(r.asset); // undefined for cash
  return { asset: r.asset, source: r.source, purpose: r.purpose, count: Number(r.count), amount: spec ? fixed(r.amount, spec.qtyPlaces) : money(r.amount) };
}
