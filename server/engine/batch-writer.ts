import type { Knex } from 'knex';
import { appendAudit } from '../audit/audit-log.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { dec, type Dec } from '../shared/decimal.ts';
import { postTransfer, systemAccountId } from '../ledger/journal.ts';
import { recordMovements, takeFifo } from '../registry/lot-holdings.ts';
import type { Batch } from './batch.ts';
import type { LiveOrder } from './live-order.ts';

const CHUNK = 1000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Reads the available balances a batch checks its reservations against. */
export async function readAvailable(trx: Knex.Transaction, keys: Array<{ participantId: string; asset: string }>): Promise<Map<string, Dec>> {
  const out = new Map<string, Dec>();
  for (const part of chunks(keys)) {
    const rows = await trx.raw<{ rows: Array<{ participant_id: string; asset: string; available: string }> }>(
      `SELECT participant_id, asset, available FROM accounts
        WHERE (participant_id, asset) IN (${part.map(() => '(?::bigint, ?)').join(',')})`,
      part.flatMap((k) => [k.participantId, k.asset]),
    );
    for (const r of rows.rows) out.set(`${r.participant_id}|${r.asset}`, dec(r.available));
  }
  return out;
}

/** Persists everything a batch changed; the caller commits or rolls back. */
export async function writeBatch(trx: Knex.Transaction, batch: Batch, specs: Map<string, InstrumentSpec>): Promise<void> {
  await writeBalances(trx, batch);
  await writeOrders(trx, batch, specs);
  await writeTrades(trx, batch, specs);
  for (const change of batch.instrumentChanges) {
    await trx('instruments').where({ symbol: change.symbol }).update({ status: change.status, halt_reason: change.haltReason });
  }
  await writeConsumptions(trx, batch);
  await appendAudit(trx, batch.audits);
}

/** Uses and retirements: the journal, the registry record and the lots the quantity came from. */
async function writeConsumptions(trx: Knex.Transaction, batch: Batch): Promise<void> {
  for (const { command: c, view, quantity } of batch.consumptions) {
    const account = await trx('accounts').where({ participant_id: c.participantId, asset: c.symbol }).first<{ id: string }>('id');
    const sink = await systemAccountId(trx, c.action === 'use' ? 'used' : 'retired', c.symbol);
    const transferId = await postTransfer(trx, { kind: c.action === 'use' ? 'use' : 'retirement', reference: `registry:${view.id}` }, [
      { accountId: account!.id, asset: c.symbol, amount: quantity.neg() },
      { accountId: sink, asset: c.symbol, amount: quantity },
    ]);
    await trx('accounts').where({ id: sink }).update({ available: trx.raw('available + ?::numeric', [quantity.toString()]) });
    await trx('registry_actions').insert({
      id: view.id,
      participant_id: c.participantId,
      user_id: c.actor.userId,
      kind: c.action,
      symbol: c.symbol,
      quantity: quantity.toString(),
      request_id: c.requestId,
      project_name: c.projectName,
      approval_ref: c.approvalRef,
      beneficiary: c.beneficiary,
      reason: c.reason,
      certificate_no: view.certificateNo,
      transfer_id: transferId,
      created_at: view.createdAt,
    });
    const pieces = await takeFifo(trx, c.participantId, c.symbol, quantity);
    await recordMovements(trx, pieces, { kind: c.action, fromParticipantId: c.participantId, toParticipantId: null, registryActionId: view.id });
  }
}

async function writeBalances(trx: Knex.Transaction, batch: Batch): Promise<void> {
  const deltas = [...batch.deltas.values()].filter((d) => !d.available.isZero() || !d.locked.isZero());
  if (deltas.length === 0) return;
  // Lock in id order, the order settlement uses too, so the two never deadlock.
  const keyList = deltas.map(() => '(?::bigint, ?)').join(',');
  const keyArgs = deltas.flatMap((d) => [d.participantId, d.asset]);
  await trx.raw(`SELECT id FROM accounts WHERE (participant_id, asset) IN (${keyList}) ORDER BY id FOR UPDATE`, keyArgs);
  for (const part of chunks(deltas)) {
    const result = await trx.raw<{ rowCount: number }>(
      `UPDATE accounts a
          SET available = a.available + v.da, locked = a.locked + v.dl
         FROM (VALUES ${part.map(() => '(?::bigint, ?::text, ?::numeric, ?::numeric)').join(',')}) AS v(pid, asset, da, dl)
        WHERE a.participant_id = v.pid AND a.asset = v.asset`,
      part.flatMap((d) => [d.participantId, d.asset, d.available.toString(), d.locked.toString()]),
    );
    if (result.rowCount !== part.length) throw new Error(`expected to update ${part.length} accounts, updated ${result.rowCount}`);
  }
}

function orderRow(o: LiveOrder, spec: InstrumentSpec) {
  return {
    id: o.id,
    participant_id: o.participantId,
    user_id: o.userId,
    client_order_id: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    time_in_force: o.tif,
    price: o.priceTicks === null ? null : spec.ticksToPrice(o.priceTicks),
    quantity: spec.lotsToQuantity(o.qtyLots),
    filled_quantity: spec.lotsToQuantity(o.filledLots),
    status: o.status,
    cancel_reason: o.cancelReason,
    reserve_per_lot: o.reservePerLot?.toString() ?? null,
    priority: o.priority,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

async function writeOrders(trx: Knex.Transaction, batch: Batch, specs: Map<string, InstrumentSpec>): Promise<void> {
  const inserts = [];
  const updates = [];
  for (const o of batch.touchedOrders.values()) {
    const row = orderRow(o, specs.get(o.symbol)!);
    if (batch.newOrderIds.has(o.id)) inserts.push(row);
    else updates.push(row);
  }
  for (const part of chunks(inserts, 500)) await trx('orders').insert(part);
  for (const part of chunks(updates, 500)) {
    const result = await trx.raw<{ rowCount: number }>(
      `UPDATE orders o
          SET quantity = v.quantity, filled_quantity = v.filled, status = v.status, cancel_reason = v.reason,
              price = v.price, reserve_per_lot = v.rpl, priority = v.priority, updated_at = v.updated_at
         FROM (VALUES ${part.map(() => '(?::bigint, ?::numeric, ?::numeric, ?::text, ?::text, ?::numeric, ?::numeric, ?::bigint, ?::timestamptz)').join(',')})
              AS v(id, quantity, filled, status, reason, price, rpl, priority, updated_at)
        WHERE o.id = v.id`,
      part.flatMap((r) => [r.id, r.quantity, r.filled_quantity, r.status, r.cancel_reason, r.price, r.reserve_per_lot, r.priority, r.updated_at]),
    );
    if (result.rowCount !== part.length) throw new Error(`expected to update ${part.length} orders, updated ${result.rowCount}`);
  }
}

async function writeTrades(trx: Knex.Transaction, batch: Batch, specs: Map<string, InstrumentSpec>): Promise<void> {
  if (batch.trades.length === 0) return;
  const rows = batch.trades.map((t) => {
    const spec = specs.get(t.symbol)!;
    return {
      id: t.id,
      symbol: t.symbol,
      price: spec.ticksToPrice(t.priceTicks),
      quantity: spec.lotsToQuantity(t.lots),
      amount: t.amounts.amount.toFixed(2),
      buyer_fee: t.amounts.buyerFee.toFixed(2),
      seller_fee: t.amounts.sellerFee.toFixed(2),
      buy_order_id: t.buyOrder.id,
      sell_order_id: t.sellOrder.id,
      buyer_id: t.buyOrder.participantId,
      seller_id: t.sellOrder.participantId,
      aggressor_side: t.aggressorSide,
      status: 'pending',
      executed_at: t.executedAt,
    };
  });
  for (const part of chunks(rows, 500)) await trx('trades').insert(part);
  for (const part of chunks(rows)) await trx('settlement_outbox').insert(part.map((r) => ({ trade_id: r.id, created_at: r.executed_at })));
}
