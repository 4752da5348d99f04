import type { Knex } from 'knex';
import { UnrecoverableError } from 'bullmq';
import { Dec, dec, ZERO, type Dec as DecT } from '../shared/decimal.ts';
import { CASH } from '../engine/batch.ts';
import { sqlArray } from '../shared/sql-array.ts';

export interface TradeRow {
  id: string;
  symbol: string;
  price: string;
  quantity: string;
  amount: string;
  buyer_fee: string;
  seller_fee: string;
  buyer_id: string;
  seller_id: string;
  status: 'pending' | 'settled' | 'failed';
  executed_at: Date;
}

export type SettleResult =
  | { outcome: 'settled'; trade: TradeRow; certificateNo: string; settledAt: Date }
  | { outcome: 'already_settled'; trade: TradeRow }
  | { outcome: 'unknown_trade' };

export function certificateNumber(trade: Pick<TradeRow, 'id' | 'executed_at'>): string {
  const d = new Date(trade.executed_at.getTime() + 8 * 3600_000); // Beijing date
  const ymd = d.toISOString().slice(0, 10).replace(/-/g, '');
  return `ERX-${ymd}-${trade.id.padStart(10, '0')}`;
}

/** Settles one trade (and nothing else): the unit the exactly-once tests reason about. */
export async function settleTrade(knex: Knex, tradeId: string): Promise<SettleResult> {
  return settleTrades(knex, tradeId, 0);
}

interface Holding {
  id: string | null;
  lotId: string;
  participantId: string;
  symbol: string;
  quantity: DecT;
  original: DecT;
  acquiredOrder: number;
}

const key = (...parts: string[]) => parts.join('|');

/**
 * Delivery versus payment: the buyer's locked cash pays the seller (less fees, which go to the
 * platform) and the seller's locked quantity goes to the buyer, lot by lot, oldest first.
 *
 * Settles `tradeId` and, while it is at it, up to `extra` other trades waiting in the outbox, all
 * in one transaction: each account is touched once per batch, which keeps its row lock short for
 * the engine. Runs at least once (BullMQ) and takes effect once: trades are locked and their
 * status checked, and the settlements primary key refuses a second settlement. Other workers'
 * trades are skipped (SKIP LOCKED); the requested one is waited for.
 */
export async function settleTrades(knex: Knex, tradeId: string, extra: number): Promise<SettleResult> {
  // Most jobs find their trade already settled by a neighbour's batch: answer without a transaction.
  const seen = await knex('trades').where({ id: tradeId }).first<TradeRow | undefined>();
  if (!seen) return { outcome: 'unknown_trade' };
  if (seen.status === 'settled') return { outcome: 'already_settled', trade: seen };
  return knex.transaction(async (trx) => {
    const requested = await trx('trades').where({ id: tradeId }).forUpdate().first<TradeRow | undefined>();
    if (!requested) return { outcome: 'unknown_trade' as const };
    if (requested.status === 'settled') return { outcome: 'already_settled' as const, trade: requested };
    const others =
      extra > 0
        ? await trx.raw<{ rows: TradeRow[] }>(
            `SELECT t.* FROM trades t
              WHERE t.id IN (SELECT o.trade_id FROM settlement_outbox o WHERE o.trade_id <> ? ORDER BY o.trade_id LIMIT ?)
                AND t.status = 'pending'
              ORDER BY t.id FOR UPDATE SKIP LOCKED`,
            [tradeId, extra],
          )
        : { rows: [] };
    // A seller's lots go to its trades in trade order, so a trade never settles before an earlier
    // pending trade of the same seller and instrument: wait for the requested trade's predecessors
    // (whoever holds them finishes first), and leave out extras whose predecessors are elsewhere.
    const predecessors = await trx.raw<{ rows: TradeRow[] }>(
      `SELECT t.* FROM trades t WHERE t.seller_id = ? AND t.symbol = ? AND t.id < ? AND t.status = 'pending' ORDER BY t.id FOR UPDATE`,
      [requested.seller_id, requested.symbol, requested.id],
    );
    const batch = new Map<string, TradeRow>([requested, ...predecessors.rows].map((t) => [t.id, t]));
    if (others.rows.length > 0) {
      const pendingBefore = await trx.raw<{ rows: Array<{ id: string; seller_id: string; symbol: string }> }>(
        `SELECT id, seller_id, symbol FROM trades WHERE status = 'pending' AND seller_id = ANY(?::bigint[]) AND id < ?`,
        [sqlArray([...new Set(others.rows.map((t) => t.seller_id))]), others.rows[others.rows.length - 1]!.id],
      );
      for (const extraTrade of others.rows) {
        const blocked = pendingBefore.rows.some(
          (p) => p.seller_id === extraTrade.seller_id && p.symbol === extraTrade.symbol && Number(p.id) < Number(extraTrade.id) && !batch.has(p.id),
        );
        if (!blocked) batch.set(extraTrade.id, extraTrade);
      }
    }
    const trades = [...batch.values()].sort((a, b) => Number(a.id) - Number(b.id));
    const settledAt = await deliverVersusPayment(trx, trades);
    return { outcome: 'settled' as const, trade: { ...requested, status: 'settled' as const }, certificateNo: certificateNumber(requested), settledAt };
  });
}

async function deliverVersusPayment(trx: Knex.Transaction, trades: TradeRow[]): Promise<Date> {
  // Cash and quantity movements, summed per account.
  const moves = new Map<string, { participantId: string | null; systemRole: string | null; asset: string; available: DecT; locked: DecT }>();
  const move = (participantId: string | null, systemRole: string | null, asset: string, available: DecT, locked: DecT) => {
    const k = key(participantId ?? `sys:${systemRole}`, asset);
    const m = moves.get(k) ?? { participantId, systemRole, asset, available: ZERO, locked: ZERO };
    m.available = m.available.add(available);
    m.locked = m.locked.add(locked);
    moves.set(k, m);
  };
  const postings: Array<{ tradeId: string; accountKey: string; asset: string; amount: DecT }> = [];
  for (const t of trades) {
    const amount = dec(t.amount);
    const buyerFee = dec(t.buyer_fee);
    const sellerFee = dec(t.seller_fee);
    const quantity = dec(t.quantity);
    const fees = buyerFee.add(sellerFee);
    move(t.buyer_id, null, CASH, ZERO, amount.add(buyerFee).neg());
    move(t.seller_id, null, CASH, amount.sub(sellerFee), ZERO);
    move(t.seller_id, null, t.symbol, ZERO, quantity.neg());
    move(t.buyer_id, null, t.symbol, quantity, ZERO);
    postings.push({ tradeId: t.id, accountKey: key(t.buyer_id, CASH), asset: CASH, amount: amount.add(buyerFee).neg() });
    postings.push({ tradeId: t.id, accountKey: key(t.seller_id, CASH), asset: CASH, amount: amount.sub(sellerFee) });
    postings.push({ tradeId: t.id, accountKey: key(t.seller_id, t.symbol), asset: t.symbol, amount: quantity.neg() });
    postings.push({ tradeId: t.id, accountKey: key(t.buyer_id, t.symbol), asset: t.symbol, amount: quantity });
    if (!fees.isZero()) {
      move(null, 'fees', CASH, fees, ZERO);
      postings.push({ tradeId: t.id, accountKey: key('sys:fees', CASH), asset: CASH, amount: fees });
    }
  }
  const list = [...moves.values()];

  // Buyers may not hold the indicator yet; the fee account may not exist yet.
  const participantAccounts = list.filter((m) => m.participantId !== null);
  await trx.raw(
    `INSERT INTO accounts (participant_id, asset) SELECT * FROM unnest(?::bigint[], ?::text[]) ON CONFLICT (participant_id, asset) DO NOTHING`,
    [sqlArray(participantAccounts.map((m) => m.participantId)), sqlArray(participantAccounts.map((m) => m.asset))],
  );
  if (list.some((m) => m.systemRole === 'fees')) {
    await trx.raw(`INSERT INTO accounts (system_role, asset) VALUES ('fees', ?) ON CONFLICT (system_role, asset) DO NOTHING`, [CASH]);
  }
  // Account ids, then their locks in id order (the engine's order too) before anything else
  // touches them: even the postings' foreign keys take share locks on these rows, and taking
  // those out of order deadlocks with engine batches.
  const found = await trx.raw<{ rows: Array<{ id: string; participant_id: string | null; system_role: string | null; asset: string }> }>(
    `SELECT a.id, a.participant_id, a.system_role, a.asset FROM accounts a
       JOIN unnest(?::text[], ?::text[]) AS k(owner, asset)
         ON a.asset = k.asset AND k.owner = coalesce(a.participant_id::text, 'sys:' || a.system_role)`,
    [sqlArray(list.map((m) => m.participantId ?? `sys:${m.systemRole}`)), sqlArray(list.map((m) => m.asset))],
  );
  const accountIds = new Map(found.rows.map((r) => [key(r.participant_id ?? `sys:${r.system_role}`, r.asset), r.id]));
  for (const m of list) if (!accountIds.has(key(m.participantId ?? `sys:${m.systemRole}`, m.asset))) throw new Error(`no account for ${m.participantId ?? m.systemRole} ${m.asset}`);
  const ids = list.map((m) => accountIds.get(key(m.participantId ?? `sys:${m.systemRole}`, m.asset))!);
  await trx.raw(`SELECT id FROM accounts WHERE id = ANY(?::bigint[]) ORDER BY id FOR UPDATE`, [sqlArray(ids)]);

  // One journal transfer per trade, its postings balanced per asset (a trigger checks).
  const transfers = await trx.raw<{ rows: Array<{ id: string; trade_id: string }> }>(
    `INSERT INTO journal_transfers (kind, reference, trade_id)
     SELECT 'settlement', 'trade:' || t, t FROM unnest(?::bigint[]) AS t RETURNING id, trade_id`,
    [trades.map((t) => t.id)],
  );
  const transferOf = new Map(transfers.rows.map((r) => [r.trade_id, r.id]));
  const lines = postings.filter((p) => !p.amount.isZero());
  await trx.raw(
    `INSERT INTO postings (transfer_id, account_id, asset, amount) SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::numeric[])`,
    [sqlArray(lines.map((p) => transferOf.get(p.tradeId))), sqlArray(lines.map((p) => accountIds.get(p.accountKey))), sqlArray(lines.map((p) => p.asset)), sqlArray(lines.map((p) => p.amount.toString()))],
  );

  await deliverLots(trx, trades);

  const [settled] = await trx.raw<{ rows: Array<{ settled_at: Date }> }>(
    `INSERT INTO settlements (trade_id, transfer_id, certificate_no)
     SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[]) RETURNING settled_at`,
    [sqlArray(trades.map((t) => t.id)), sqlArray(trades.map((t) => transferOf.get(t.id))), sqlArray(trades.map((t) => certificateNumber(t)))],
  ).then((r) => r.rows);
  await trx('trades').whereIn('id', trades.map((t) => t.id)).update({ status: 'settled' });
  await trx('settlement_outbox').whereIn('trade_id', trades.map((t) => t.id)).delete();

  // The balances move last, on rows already locked.
  await trx.raw(
    `UPDATE accounts a SET available = a.available + v.da, locked = a.locked + v.dl
       FROM unnest(?::bigint[], ?::numeric[], ?::numeric[]) AS v(id, da, dl) WHERE a.id = v.id`,
    [sqlArray(ids), sqlArray(list.map((m) => m.available.toString())), sqlArray(list.map((m) => m.locked.toString()))],
  );
  return settled!.settled_at;
}

/**
 * Moves quantity lot by lot: each seller's oldest holdings go first (FIFO), splitting a lot when
 * needed, trade after trade in id order, so every holding keeps its lot lineage.
 */
async function deliverLots(trx: Knex.Transaction, trades: TradeRow[]): Promise<void> {
  const participants = [...new Set(trades.flatMap((t) => [t.buyer_id, t.seller_id]))];
  const symbols = [...new Set(trades.map((t) => t.symbol))];
  const rows = await trx('lot_holdings')
    .whereIn('participant_id', participants)
    .whereIn('symbol', symbols)
    .orderBy([{ column: 'acquired_at' }, { column: 'lot_id' }])
    .forUpdate()
    .select<Array<{ id: string; lot_id: string; participant_id: string; symbol: string; quantity: string }>>('id', 'lot_id', 'participant_id', 'symbol', 'quantity');
  const books = new Map<string, Holding[]>();
  let order = 0;
  for (const r of rows) {
    const k = key(r.participant_id, r.symbol);
    const list = books.get(k) ?? [];
    const q = dec(r.quantity);
    list.push({ id: r.id, lotId: r.lot_id, participantId: r.participant_id, symbol: r.symbol, quantity: q, original: q, acquiredOrder: order++ });
    books.set(k, list);
  }
  const movements: Array<{ lotId: string; from: string; to: string; quantity: DecT; tradeId: string }> = [];
  for (const t of trades) {
    const sellerHoldings = books.get(key(t.seller_id, t.symbol)) ?? [];
    const buyerKey = key(t.buyer_id, t.symbol);
    const buyerHoldings = books.get(buyerKey) ?? [];
    books.set(buyerKey, buyerHoldings);
    let left = dec(t.quantity);
    for (const h of sellerHoldings) {
      if (left.isZero()) break;
      if (h.quantity.isZero()) continue;
      const take = Dec.min(left, h.quantity);
      h.quantity = h.quantity.sub(take);
      left = left.sub(take);
      const same = buyerHoldings.find((b) => b.lotId === h.lotId);
      if (same) same.quantity = same.quantity.add(take);
      else buyerHoldings.push({ id: null, lotId: h.lotId, participantId: t.buyer_id, symbol: t.symbol, quantity: take, original: ZERO, acquiredOrder: order++ });
      movements.push({ lotId: h.lotId, from: t.seller_id, to: t.buyer_id, quantity: take, tradeId: t.id });
    }
    if (!left.isZero()) {
      // Balances and lot holdings disagree: retrying cannot help, a person must look.
      throw new UnrecoverableError(`seller ${t.seller_id} holds ${dec(t.quantity).sub(left).toString()} of ${t.symbol} in lots but owes ${t.quantity} (trade ${t.id})`);
    }
  }
  const all = [...books.values()].flat();
  const changed = all.filter((h) => h.id !== null && !h.quantity.eq(h.original));
  if (changed.length > 0) {
    await trx.raw(`UPDATE lot_holdings h SET quantity = v.q FROM unnest(?::bigint[], ?::numeric[]) AS v(id, q) WHERE h.id = v.id`, [
      sqlArray(changed.map((h) => h.id)),
      sqlArray(changed.map((h) => h.quantity.toString())),
    ]);
  }
  const fresh = all.filter((h) => h.id === null);
  if (fresh.length > 0) {
    // Another batch may have given this buyer a piece of the same lot meanwhile: add to it.
    await trx.raw(
      `INSERT INTO lot_holdings (lot_id, participant_id, symbol, quantity) SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::numeric[])
       ON CONFLICT (lot_id, participant_id) DO UPDATE SET quantity = lot_holdings.quantity + EXCLUDED.quantity`,
      [
      fresh.map((h) => h.lotId),
      fresh.map((h) => h.participantId),
      fresh.map((h) => h.symbol),
      fresh.map((h) => h.quantity.toString()),
      ],
    );
  }
  if (movements.length > 0) {
    await trx.raw(
      `INSERT INTO lot_movements (lot_id, kind, from_participant_id, to_participant_id, quantity, trade_id)
       SELECT l, 'trade', f, t, q, tr FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::numeric[], ?::bigint[]) AS v(l, f, t, q, tr)`,
      [movements.map((m) => m.lotId), movements.map((m) => m.from), movements.map((m) => m.to), movements.map((m) => m.quantity.toString()), movements.map((m) => m.tradeId)],
    );
  }
}
