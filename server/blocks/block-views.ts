import type { Block, BlockStatus } from '../../contract/blocks.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { tradeAmounts } from '../ledger/trade-economics.ts';
import { fixed } from '../shared/decimal.ts';
import { lotsOf, ticksOf } from './block-rules.ts';

export type { BlockStatus };

export interface BlockRow {
  id: string;
  symbol: string;
  initiator_id: string;
  counterparty_id: string;
  proposed_by: string;
  initiator_side: 'buy' | 'sell';
  price: string;
  quantity: string;
  reference_price: string;
  note: string | null;
  status: BlockStatus;
  expires_at: Date;
  initiator_reservation_id: string;
  counterparty_reservation_id: string | null;
  trade_id: string | null;
  decided_by: string | null;
  reason: string | null;
  created_at: Date;
  decided_at: Date | null;
}

export type BlockView = Block;

export function blockView(row: BlockRow, spec: InstrumentSpec, names: Map<string, string>, viewerParticipantId: string | null): BlockView {
  const party = (id: string) => ({ id, name: names.get(id) ?? '' });
  const buyerId = row.initiator_side === 'buy' ? row.initiator_id : row.counterparty_id;
  const sellerId = row.initiator_side === 'buy' ? row.counterparty_id : row.initiator_id;
  const amounts = tradeAmounts(spec, ticksOf(spec, row.price), lotsOf(spec, row.quantity));
  return {
    id: row.id,
    symbol: row.symbol,
    instrumentName: spec.row.name_zh,
    unit: spec.row.unit,
    initiatorSide: row.initiator_side,
    initiator: party(row.initiator_id),
    counterparty: party(row.counterparty_id),
    buyer: party(buyerId),
    seller: party(sellerId),
    price: fixed(row.price, spec.pricePlaces),
    quantity: fixed(row.quantity, spec.qtyPlaces),
    amount: amounts.amount.toFixed(2),
    buyerFee: amounts.buyerFee.toFixed(2),
    sellerFee: amounts.sellerFee.toFixed(2),
    referencePrice: fixed(row.reference_price, spec.pricePlaces),
    note: row.note,
    status: row.status,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    reason: row.reason,
    tradeId: row.trade_id,
    myRole: viewerParticipantId === row.initiator_id ? 'initiator' : viewerParticipantId === row.counterparty_id ? 'counterparty' : null,
  };
}
