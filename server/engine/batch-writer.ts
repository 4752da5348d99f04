import type { Knex } from 'knex';
import type { NewAuditRow } from '../audit/audit-log.ts';
import type { InstrumentSpec } from '../instruments/instrument-spec.ts';
import { dec, type Dec } from '../shared/decimal.ts';
import { postTransfer, systemAccountId } from '../ledger/journal.ts';
import { recordMovements, takeFifo } from '../registry/lot-holdings.ts';
import type { Batch } from './batch.ts';
import { writeLotControls } from '../lot-controls/lot-control-writer.ts';
import { accountKey } from './assets.ts';
import type { EngineSession } from './engine-session.ts';


/** `?` placeholders (knex) as `$n` (PostgreSQL), for statements sent as named prepared statements. */
const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/**
 * Reads the available balances a batch checks its reservations against. No lock is needed:
 * every decrease of an available balance goes through the engine host, so a balance can only
 * have grown since this read, and the CHECK constraints refuse anything else.
 */
export async function readAvailable(session: EngineSession, keys: Array<{ participantId: string; asset: string }>): Promise<Map<string, Dec>> {
  const out = new Map<string, Dec>();
  if (keys.length === 0) return out;
  const result = await session.query('engine_read_available', READ_AVAILABLE, [keys.map((k) => k.participantId), keys.map((k) => k.asset)]);
  for (const r of result.rows as Array<{ participant_id: string; asset: string; available: string }>) out.set(accountKey(r.participant_id, r.asset), dec(r.available));
  return out;
}

const READ_AVAILABLE = `SELECT a.participant_id, a.asset, a.available FROM accounts a
  JOIN unnest($1::bigint[], $2::text[]) AS k(pid, asset) ON a.participant_id = k.pid AND a.asset = k.asset`;

// Everything an ordinary batch writes, in one statement: one round trip and one commit. Each
// part reads its rows from arrays; the final SELECT aborts the whole statement if an update
// missed a row. Accounts are locked in id order first, the order settlement uses too, and only
// as strongly as the update needs (NO KEY UPDATE): the key-share locks other transactions' foreign
// keys to accounts take (settlement's postings) do not make the engine wait.
const BATCH_STATEMENT = `
WITH d AS (SELECT * FROM unnest(?::bigint[], ?::text[], ?::numeric[], ?::numeric[]) AS d(pid, asset, da, dl)),
lock_accounts AS (
  SELECT a.id FROM accounts a JOIN d ON a.participant_id = d.pid AND a.asset = d.asset ORDER BY a.id FOR NO KEY UPDATE OF a
),
updated_accounts AS (
  UPDATE accounts a SET available = a.available + d.da, locked = a.locked + d.dl
    FROM d WHERE a.participant_id = d.pid AND a.asset = d.asset AND (SELECT count(*) FROM lock_accounts) >= 0
  RETURNING a.id
),
new_orders AS (
  INSERT INTO orders (id, participant_id, user_id, client_order_id, symbol, side, type, time_in_force, price, quantity,
                      filled_quantity, status, cancel_reason, reserve_per_lot, priority, created_at, updated_at, fee_bps, request_fingerprint)
  SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::numeric[],
                       ?::numeric[], ?::numeric[], ?::text[], ?::text[], ?::numeric[], ?::bigint[], ?::timestamptz[], ?::timestamptz[], ?::integer[], ?::text[])
  RETURNING id
),
u AS (SELECT * FROM unnest(?::bigint[], ?::numeric[], ?::numeric[], ?::text[], ?::text[], ?::numeric[], ?::numeric[], ?::bigint[], ?::timestamptz[])
        AS u(id, quantity, filled, status, reason, price, rpl, priority, updated_at)),
updated_orders AS (
  UPDATE orders o SET quantity = u.quantity, filled_quantity = u.filled, status = u.status, cancel_reason = u.reason,
                      price = u.price, reserve_per_lot = u.rpl, priority = u.priority, updated_at = u.updated_at
    FROM u WHERE o.id = u.id
  RETURNING o.id
),
new_trades AS (
  INSERT INTO trades (id, symbol, price, quantity, amount, buyer_fee, seller_fee, buy_order_id, sell_order_id,
                      buyer_id, seller_id, aggressor_side, status, executed_at, venue, offbook_ref)
  SELECT t.id, t.symbol, t.price, t.quantity, t.amount, t.buyer_fee, t.seller_fee, t.buy_order_id, t.sell_order_id,
         t.buyer_id, t.seller_id, t.aggressor_side, 'pending', t.executed_at, t.venue, t.offbook_ref
    FROM unnest(?::bigint[], ?::text[], ?::numeric[], ?::numeric[], ?::numeric[], ?::numeric[], ?::numeric[],
                ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::timestamptz[], ?::text[], ?::text[])
         AS t(id, symbol, price, quantity, amount, buyer_fee, seller_fee, buy_order_id, sell_order_id, buyer_id, seller_id, aggressor_side, executed_at, venue, offbook_ref)
  RETURNING id, executed_at
),
new_outbox AS (INSERT INTO settlement_outbox (trade_id, created_at) SELECT id, executed_at FROM new_trades RETURNING trade_id),
new_audit AS (
  INSERT INTO audit_log (chain, chain_seq, at, actor_user_id, actor, action, subject, payload, prev_hash, hash)
  SELECT * FROM unnest(?::text[], ?::bigint[], ?::timestamptz[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::jsonb[], ?::text[], ?::text[])
  RETURNING seq
)
SELECT ecorights_assert(?::bigint IS NULL OR EXISTS (SELECT 1 FROM audit_log WHERE chain = ? AND chain_seq = ?::bigint), 'batch: the batch before it did not commit'),
       ecorights_assert((SELECT count(*) FROM updated_accounts) = ?, 'batch: an account to update is missing'),
       ecorights_assert((SELECT count(*) FROM updated_orders) = ?, 'batch: an order to update is missing'),
       (SELECT count(*) FROM new_orders) AS orders, (SELECT count(*) FROM new_outbox) AS outbox, (SELECT count(*) FROM new_audit) AS audit`;

const BATCH_STATEMENT_NUMBERED = numbered(BATCH_STATEMENT);

/** Where the batch joins the engine's audit chain: the row that must already be committed. */
export interface ChainLink {
  chain: string;
  /** The chain position before the batch's first row; null when the chain starts here. */
  previousSeq: string | null;
}

function statementBindings(batch: Batch, specs: Map<string, InstrumentSpec>, audit: NewAuditRow[], link: ChainLink): unknown[] {
  const deltas = [...batch.deltas.values()].filter((d) => !d.available.isZero() || !d.locked.isZero());
  const inserts = [];
  const updates = [];
  for (const o of batch.touchedOrders.values()) {
    const spec = specs.get(o.symbol)!;
    const row = {
      id: o.id,
      quantity: spec.lotsToQuantity(o.qtyLots),
      filled: spec.lotsToQuantity(o.filledLots),
      price: o.priceTicks === null ? null : spec.ticksToPrice(o.priceTicks),
      rpl: o.reservePerLot?.toString() ?? null,
    };
    if (batch.newOrderIds.has(o.id)) inserts.push({ o, row });
    else updates.push({ o, row });
  }
  const trades = batch.trades.map((t) => ({ t, spec: specs.get(t.symbol)! }));
  const col = <T, R>(items: T[], f: (item: T) => R) => items.map(f);
  return [
    col(deltas, (d) => d.participantId),
    col(deltas, (d) => d.asset),
    col(deltas, (d) => d.available.toString()),
    col(deltas, (d) => d.locked.toString()),
    col(inserts, (x) => x.o.id),
    col(inserts, (x) => x.o.participantId),
    col(inserts, (x) => x.o.userId),
    col(inserts, (x) => x.o.clientOrderId),
    col(inserts, (x) => x.o.symbol),
    col(inserts, (x) => x.o.side),
    col(inserts, (x) => x.o.type),
    col(inserts, (x) => x.o.tif),
    col(inserts, (x) => x.row.price),
    col(inserts, (x) => x.row.quantity),
    col(inserts, (x) => x.row.filled),
    col(inserts, (x) => x.o.status),
    col(inserts, (x) => x.o.cancelReason),
    col(inserts, (x) => x.row.rpl),
    col(inserts, (x) => x.o.priority),
    col(inserts, (x) => x.o.createdAt.toISOString()),
    col(inserts, (x) => x.o.updatedAt.toISOString()),
    col(inserts, (x) => x.o.feeBps),
    col(inserts, (x) => x.o.requestFingerprint ?? null),
    col(updates, (x) => x.o.id),
    col(updates, (x) => x.row.quantity),
    col(updates, (x) => x.row.filled),
    col(updates, (x) => x.o.status),
    col(updates, (x) => x.o.cancelReason),
    col(updates, (x) => x.row.price),
    col(updates, (x) => x.row.rpl),
    col(updates, (x) => x.o.priority),
    col(updates, (x) => x.o.updatedAt.toISOString()),
    col(trades, (x) => x.t.id),
    col(trades, (x) => x.t.symbol),
    col(trades, (x) => x.spec.ticksToPrice(x.t.priceTicks)),
    col(trades, (x) => x.spec.lotsToQuantity(x.t.lots)),
    col(trades, (x) => x.t.amounts.amount.toFixed(2)),
    col(trades, (x) => x.t.amounts.buyerFee.toFixed(2)),
    col(trades, (x) => x.t.amounts.sellerFee.toFixed(2)),
    col(trades, (x) => x.t.buyOrder?.id ?? null),
    col(trades, (x) => x.t.sellOrder?.id ?? null),
    col(trades, (x) => x.t.buyerId),
    col(trades, (x) => x.t.sellerId),
    col(trades, (x) => x.t.aggressorSide),
    col(trades, (x) => x.t.executedAt.toISOString()),
    col(trades, (x) => x.t.venue),
    col(trades, (x) => x.t.offBookRef ?? null),
    col(audit, (r) => r.chain),
    col(audit, (r) => r.chain_seq),
    col(audit, (r) => r.at.toISOString()),
    col(audit, (r) => r.actor_user_id),
    col(audit, (r) => r.actor),
    col(audit, (r) => r.action),
    col(audit, (r) => r.subject),
    col(audit, (r) => JSON.stringify(r.payload)),
    col(audit, (r) => r.prev_hash),
    col(audit, (r) => r.hash),
    link.previousSeq,
    link.chain,
    link.previousSeq,
    deltas.length,
    updates.length,
  ];
}

/** Whether a batch is a single statement (orders, trades, balances, audit): see writeBatch. */
export function isPlainBatch(batch: Batch): boolean {
  return (
    batch.instrumentChanges.length === 0 &&
    batch.consumptions.length === 0 &&
    batch.touchedReservations.size === 0 &&
    batch.referenceChanges.length === 0 &&
    batch.participantChanges.length === 0 &&
    batch.lotControls.length === 0
  );
}

/**
 * Persists everything a batch changed. A plain batch is one statement on the engine's session,
 * committed on its own, refused by PostgreSQL if the batch it links to on the audit chain is not
 * committed; a batch that also halts an instrument or consumes lots runs in a transaction with
 * the extra statements those need (the host sends those only when nothing else is in flight).
 */
export function writeBatch(session: EngineSession, knex: Knex, batch: Batch, specs: Map<string, InstrumentSpec>, audit: NewAuditRow[], link: ChainLink): Promise<unknown> {
  const bindings = statementBindings(batch, specs, audit, link);
  if (isPlainBatch(batch)) return session.query('engine_batch', BATCH_STATEMENT_NUMBERED, bindings);
  return knex.transaction(async (trx) => {
    await trx.raw(BATCH_STATEMENT, bindings as Knex.RawBinding[]);
    for (const change of batch.instrumentChanges) {
      await trx('instruments').where({ symbol: change.symbol }).update({ status: change.status, halt_reason: change.haltReason });
    }
    for (const change of batch.referenceChanges) {
      await trx('instruments').where({ symbol: change.symbol }).update({ reference_price: change.price });
    }
    for (const change of batch.participantChanges) {
      await trx('participants').where({ id: change.participantId }).update({ status: change.status });
    }
    await writeConsumptions(trx, batch);
    await writeReservations(trx, batch);
    await writeLotControls(trx, batch.lotControls, batch.now);
  });
}

async function writeReservations(trx: Knex.Transaction, batch: Batch): Promise<void> {
  for (const r of batch.touchedReservations.values()) {
    const row = { amount: r.amount.toString(), status: r.status, updated_at: r.updatedAt };
    if (batch.newReservationIds.has(r.id)) {
      await trx('reservations').insert({ id: r.id, participant_id: r.participantId, asset: r.asset, purpose: r.purpose, reference: r.reference, created_at: r.createdAt, ...row });
    } else {
      await trx('reservations').where({ id: r.id }).update(row);
    }
  }
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
      request_fingerprint: c.requestFingerprint ?? null,
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
