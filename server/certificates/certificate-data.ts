import type { Knex } from 'knex';
import { fixed, money } from '../shared/decimal.ts';
import type { InstrumentCatalog } from '../instruments/instrument-catalog.ts';
import type { TradeRow } from '../shared/table-rows.ts';

export interface Party {
  id: string;
  name: string;
  region: string;
}

export interface DeliveredLot {
  lotId: string;
  verificationRef: string;
  sourceProject: string;
  region: string;
  vintage: number;
  quantity: string;
}

/** 成交确认书: what a settled trade certifies, for the JSON view and the PDF alike. */
export interface TradeCertificate {
  certificateNo: string;
  tradeId: string;
  symbol: string;
  instrumentNameZh: string;
  instrumentName: string;
  unit: string;
  buyer: Party;
  seller: Party;
  quantity: string;
  price: string;
  amount: string;
  buyerFee: string;
  sellerFee: string;
  lotsDelivered: DeliveredLot[];
  executedAt: string;
  settledAt: string;
}

export async function tradeCertificate(knex: Knex, instruments: InstrumentCatalog, tradeId: string): Promise<TradeCertificate | undefined> {
  const row = await knex('trades as t')
    .join('settlements as s', 's.trade_id', 't.id')
    .join('participants as b', 'b.id', 't.buyer_id')
    .join('participants as p', 'p.id', 't.seller_id')
    .where('t.id', tradeId)
    .first<
      | (Pick<TradeRow, 'id' | 'symbol' | 'price' | 'quantity' | 'amount' | 'buyer_fee' | 'seller_fee' | 'executed_at' | 'buyer_id' | 'seller_id'> & {
          settled_at: Date;
          certificate_no: string;
          buyer_name: string;
          buyer_region: string;
          seller_name: string;
          seller_region: string;
        })
      | undefined
    >(
      't.*',
      's.settled_at',
      's.certificate_no',
      'b.name as buyer_name',
      'b.region as buyer_region',
      'p.name as seller_name',
      'p.region as seller_region',
    );
  if (!row) return undefined;
  const spec = instruments.spec(row.symbol);
  const lots = await knex('lot_movements as m')
    .join('lots as l', 'l.id', 'm.lot_id')
    .where({ 'm.trade_id': tradeId, 'm.kind': 'trade' })
    .orderBy('m.id')
    .select<Array<{ lot_id: string; verification_ref: string; source_project: string; region: string; vintage: number; quantity: string }>>(
      'm.lot_id',
      'l.verification_ref',
      'l.source_project',
      'l.region',
      'l.vintage',
      'm.quantity',
    );
  const qty = (v: string) => fixed(v, spec?.qtyPlaces ?? 2);
  return {
    certificateNo: row.certificate_no,
    tradeId: row.id,
    symbol: row.symbol,
    instrumentNameZh: spec?.row.name_zh ?? row.symbol,
    instrumentName: spec?.row.name ?? row.symbol,
    unit: spec?.row.unit ?? '',
    buyer: { id: row.buyer_id, name: row.buyer_name, region: row.buyer_region },
    seller: { id: row.seller_id, name: row.seller_name, region: row.seller_region },
    quantity: qty(row.quantity),
    price: fixed(row.price, spec?.pricePlaces ?? 2),
    amount: money(row.amount),
    buyerFee: money(row.buyer_fee),
    sellerFee: money(row.seller_fee),
    lotsDelivered: lots.map((l) => ({
      lotId: l.lot_id,
      verificationRef: l.verification_ref,
      sourceProject: l.source_project,
      region: l.region,
      vintage: l.vintage,
      quantity: qty(l.quantity),
    })),
    executedAt: row.executed_at.toISOString(),
    settledAt: row.settled_at.toISOString(),
  };
}
