import type { Knex } from 'knex';
import { OrderBook } from '../../matching/index.ts';
import type { RestingOrder } from '../../matching/types.ts';
import { InstrumentSpec, type InstrumentRow } from '../instruments/instrument-spec.ts';
import { dec } from '../shared/decimal.ts';
import type { StoredOrderRow } from '../orders/order-row.ts';
import type { EngineState, LotControlState } from './batch-context.ts';
import type { IdAllocator } from './id-allocator.ts';
import type { LiveOrder } from './live-order.ts';
import type { Reservation } from './reservation.ts';

/**
 * The engine's state as PostgreSQL holds it: instruments, every resting order in priority in
 * fresh books, active reservations and suspended participants. Read at start and after any
 * failed commit, so memory never holds what the ledger does not.
 */
export async function loadEngineState(knex: Knex, ids: IdAllocator): Promise<EngineState> {
  const instruments = await knex('instruments').select<InstrumentRow[]>('*');
  const rows = await knex('orders').whereIn('status', ['open', 'partially_filled']).orderBy('priority').select<StoredOrderRow[]>('*');
  const specs = new Map<string, InstrumentSpec>();
  const books = new Map<string, OrderBook>();
  const live = new Map<number, LiveOrder>();
  const resting = new Map<string, RestingOrder[]>();
  for (const row of instruments) {
    const spec = new InstrumentSpec(row);
    specs.set(row.symbol, spec);
    resting.set(row.symbol, []);
  }
  for (const row of rows) {
    const spec = specs.get(row.symbol)!;
    const order: LiveOrder = {
      id: Number(row.id),
      participantId: row.participant_id,
      userId: row.user_id,
      clientOrderId: row.client_order_id,
      symbol: row.symbol,
      side: row.side,
      type: row.type,
      tif: row.time_in_force,
      priceTicks: row.price === null ? null : dec(row.price).div(spec.tick).toNumber(),
      qtyLots: dec(row.quantity).div(spec.lot).toNumber(),
      filledLots: dec(row.filled_quantity).div(spec.lot).toNumber(),
      status: row.status,
      cancelReason: null,
      reservePerLot: row.reserve_per_lot === null ? null : dec(row.reserve_per_lot),
      feeBps: row.fee_bps ?? (row.side === 'buy' ? spec.row.buyer_fee_bps : spec.row.seller_fee_bps),
      priority: Number(row.priority),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
    live.set(order.id, order);
    resting.get(row.symbol)!.push({
      orderId: order.id,
      ownerId: Number(order.participantId),
      side: order.side,
      priceTicks: order.priceTicks!,
      remainingLots: order.qtyLots - order.filledLots,
      tif: order.tif,
      stp: 'cancel_newest',
      timestamp: order.createdAt.getTime(),
    });
  }
  for (const [symbol, spec] of specs) {
    const orders = resting.get(symbol)!;
    const mode = spec.row.status === 'halted' ? 'halted' : spec.row.status === 'auction' ? 'auction' : 'continuous';
    const config = { symbol, referencePriceTicks: spec.referenceTicks, priceBandBps: spec.bandBps, minQtyLots: spec.minLots };
    books.set(symbol, OrderBook.restore({ config, mode, sequence: 0, orders: [...orders.filter((o) => o.side === 'buy'), ...orders.filter((o) => o.side === 'sell')] }));
  }
  const reservations = new Map<string, Reservation>();
  const reservationRows = await knex('reservations').where({ status: 'active' }).select<
    Array<{ id: string; participant_id: string; asset: string; amount: string; purpose: string; reference: string; created_at: Date; updated_at: Date }>
  >('*');
  for (const r of reservationRows) {
    reservations.set(r.id, {
      id: r.id,
      participantId: r.participant_id,
      asset: r.asset,
      amount: dec(r.amount),
      purpose: r.purpose,
      reference: r.reference,
      status: 'active',
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    });
  }
  const suspended = new Set(await knex('participants').where({ status: 'suspended' }).pluck<string[]>('id'));
  return { books, specs, live, reservations, suspended, lots: await loadLotControls(knex), ids };
}

/** Open freezes with the reservations that lock their pieces, and revoked lots. */
async function loadLotControls(knex: Knex): Promise<Map<string, LotControlState>> {
  const lots = new Map<string, LotControlState>();
  const frozen = await knex('lot_freezes as f')
    .leftJoin('lot_freeze_pieces as p', 'p.freeze_id', 'f.id')
    .whereNull('f.closed_at')
    .orderBy(['f.id', 'p.reservation_id'])
    .select<Array<{ lot_id: string; freeze_id: string; reservation_id: string | null }>>('f.lot_id', 'f.id as freeze_id', 'p.reservation_id');
  for (const row of frozen) {
    const state = lots.get(row.lot_id) ?? { frozen: { freezeId: row.freeze_id, reservationIds: [] }, revoked: false };
    if (row.reservation_id !== null) state.frozen!.reservationIds.push(row.reservation_id);
    lots.set(row.lot_id, state);
  }
  for (const lotId of await knex('lot_revocations').pluck<string[]>('lot_id')) lots.set(lotId, { frozen: lots.get(lotId)?.frozen ?? null, revoked: true });
  return lots;
}
