import type { Knex } from 'knex';
import { UnrecoverableError } from 'bullmq';
import { Dec, dec, ZERO, type Dec as DecT } from '../shared/decimal.ts';
import { CASH } from '../engine/assets.ts';
import { sqlArray } from '../shared/sql-array.ts';
import { settlementCertificateNo } from '../certificates/certificate-number.ts';
import type { TradeRow } from '../shared/table-rows.ts';
import { frozenAmong } from '../registry/lot-holdings.ts';

export type { TradeRow };

export type SettleResult =
  | { outcome: 'settled'; trade: TradeRow; certificateNo: string; settledAt: Date }
  | { outcome: 'already_settled'; trade: TradeRow }
  | { outcome: 'unknown_trade' };

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
 * Settles one trade — after the earlier pending trades of its seller and instrument, which must go
 * first — and nothing else: the unit the exactly-once tests reason about. Waits while another
 * settlement holds that seller's queue.
 */
export async function settleTrade(knex: Knex, tradeId: string): Promise<SettleResult> {
  const result = await knex.transaction((trx) => settleBatch(trx, tradeId, 0, true));
  if (result.outcome === 'busy') throw new Error('unreachable: a waiting settlement found its group busy');
  return result;
}

/** What {@link settleAvailable} did: `busy` when another settlement holds the trade's seller queue. */
export type BatchResult = (SettleResult & { batch: string[] }) | { outcome: 'busy'; batch: string[] };

/**
 * Settles `tradeId` and up to about `extra` other trades waiting in the outbox, all in one
 * transaction, without ever waiting for another settlement: when the trade's seller queue is
 * held elsewhere, it settles what it can of the rest and answers `busy` (then {@link settleTrade}
 * waits for that queue). `batch` lists every trade this call settled.
 */
export async function settleAvailable(knex: Knex, tradeId: string, extra: number): Promise<BatchResult> {
  return knex.transaction(async (trx) => {
    // A batch never waits long for a row someone else holds: it fails (a transient error, 55P03)
    // and the job settles its trade alone, so one held account cannot stall a worker's lane.
    await trx.raw(`SET LOCAL lock_timeout = '${BATCH_LOCK_TIMEOUT}'`);
    return settleBatch(trx, tradeId, extra, false);
  });
}

const BATCH_LOCK_TIMEOUT = '2s';

/** Settles `tradeId` with up to `extra` outbox neighbours; see {@link settleAvailable}. */
export async function settleTrades(knex: Knex, tradeId: string, extra: number): Promise<SettleResult> {
  const first = await settleAvailable(knex, tradeId, extra);
  return first.outcome === 'busy' ? settleTrade(knex, tradeId) : first;
}

/**
 * Seller queues. A seller's lots go to its trades in trade order, so the pending trades of one
 * seller and instrument settle as a prefix, oldest first, under a transaction-scoped advisory lock
 * on (seller, instrument). Workers take different queues (try-lock, never wait) and settle them
 * side by side; only a job whose own queue is held elsewhere waits, and it waits for that lock
 * first, holding nothing else, so these locks cannot take part in a deadlock.
 *
 * Every pending trade has its outbox row (written with the trade, deleted with its settlement), so
 * the outbox, which holds only unsettled trades, is where a queue's pending trades are found.
 */
const QUEUE_LOCK_SPACE = 0x5e771e; // first key of pg_advisory_xact_lock(int, int): settlement queues
const queueName = (sellerId: string, symbol: string) => `${sellerId}|${symbol}`;

/** Waits for, and holds to the end of `trx`, the settlement queue of a seller and instrument. */
export async function lockSettlementQueue(trx: Knex.Transaction, sellerId: string, symbol: string): Promise<void> {
  await trx.raw(`SELECT pg_advisory_xact_lock(${QUEUE_LOCK_SPACE}, hashtext(?))`, [queueName(sellerId, symbol)]);
}

async function lockQueues(trx: Knex.Transaction, queues: string[]): Promise<Set<string>> {
  const rows = await trx.raw<{ rows: Array<{ q: string }> }>(
    `SELECT q FROM unnest(?::text[]) AS q WHERE pg_try_advisory_xact_lock(${QUEUE_LOCK_SPACE}, hashtext(q))`,
    [sqlArray(queues)],
  );
  return new Set(rows.rows.map((r) => r.q));
}

async function settleBatch(trx: Knex.Transaction, tradeId: string, extra: number, wait: boolean): Promise<BatchResult> {
  const seen = await trx('trades').where({ id: tradeId }).first<TradeRow | undefined>();
  if (!seen) return { outcome: 'unknown_trade', batch: [] };
  if (seen.status === 'settled') return { outcome: 'already_settled', trade: seen, batch: [] };
  const own = queueName(seen.seller_id, seen.symbol);
  let holdOwn: boolean;
  if (wait) {
    await lockSettlementQueue(trx, seen.seller_id, seen.symbol);
    holdOwn = true;
  } else {
    holdOwn = (await lockQueues(trx, [own])).has(own);
  }
  let requested: TradeRow | undefined;
  if (holdOwn) {
    requested = await trx('trades').where({ id: tradeId }).forUpdate().first<TradeRow>();
    if (requested!.status === 'settled') return { outcome: 'already_settled', trade: requested!, batch: [] };
  } else if (extra === 0) {
    return { outcome: 'busy', batch: [] };
  }

  // Queues to settle, each up to a cutoff trade id: the requested trade's (through it) and, from
  // the oldest pending trades in the outbox, the queues no other settlement holds, until about
  // `extra` trades are taken.
  const cutoffs = new Map<string, string>();
  if (holdOwn) cutoffs.set(own, tradeId);
  if (extra > 0) {
    const window = await trx.raw<{ rows: Array<{ id: string; seller_id: string; symbol: string }> }>(
      `SELECT t.id, t.seller_id, t.symbol FROM settlement_outbox o JOIN trades t ON t.id = o.trade_id
        WHERE t.status = 'pending' ORDER BY o.trade_id LIMIT ?`,
      [extra * 4],
    );
    if (window.rows.length > 0) {
      const last = window.rows[window.rows.length - 1]!.id;
      const sizes = new Map<string, number>();
      for (const r of window.rows) {
        const q = queueName(r.seller_id, r.symbol);
        sizes.set(q, (sizes.get(q) ?? 0) + 1);
      }
      if (holdOwn && BigInt(last) > BigInt(tradeId)) cutoffs.set(own, last);
      let budget = extra - (sizes.get(own) ?? 0);
      const candidates = [...sizes.keys()].filter((q) => q !== own);
      while (budget > 0 && candidates.length > 0) {
        // Try as many queues as the budget would need, in the order of their oldest trade.
        const chunk: string[] = [];
        let need = budget;
        while (need > 0 && candidates.length > 0) {
          const q = candidates.shift()!;
          chunk.push(q);
          need -= sizes.get(q)!;
        }
        for (const q of await lockQueues(trx, chunk)) {
          cutoffs.set(q, last);
          budget -= sizes.get(q)!;
        }
      }
    }
  }
  if (cutoffs.size === 0) return { outcome: 'busy', batch: [] };

  const queues = [...cutoffs.keys()].map((q) => q.split('|') as [string, string]);
  const found = await trx.raw<{ rows: TradeRow[] }>(
    `SELECT t.* FROM settlement_outbox o
       JOIN trades t ON t.id = o.trade_id
       JOIN unnest(?::bigint[], ?::text[], ?::bigint[]) AS q(seller_id, symbol, cutoff)
         ON t.seller_id = q.seller_id AND t.symbol = q.symbol AND t.id <= q.cutoff
      WHERE t.status = 'pending' AND o.trade_id <= ?
      ORDER BY t.id FOR UPDATE OF t`,
    [sqlArray(queues.map((q) => q[0])), sqlArray(queues.map((q) => q[1])), sqlArray([...cutoffs.values()]), [...cutoffs.values()].reduce((a, b) => (BigInt(a) > BigInt(b) ? a : b))],
  );
  const batch = new Map(found.rows.map((t) => [t.id, t]));
  // A dead-lettered trade settles when its own job asks for it (a replay sets it pending again).
  if (requested && !batch.has(requested.id)) batch.set(requested.id, requested);
  const trades = [...batch.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  if (trades.length === 0) return { outcome: 'busy', batch: [] };
  const settledAt = await deliverVersusPayment(trx, trades);
  const ids = trades.map((t) => t.id);
  if (!requested) return { outcome: 'busy', batch: ids };
  return { outcome: 'settled', trade: { ...requested, status: 'settled' }, certificateNo: settlementCertificateNo(requested), settledAt, batch: ids };
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

  // Account ids. Buyers may not hold the indicator yet, the fee account may not exist yet: only
  // those are inserted (an insert that meets an existing row another settlement has updated would
  // wait for that settlement to end, i.e. take the row's lock early).
  const owner = (m: { participantId: string | null; systemRole: string | null }) => m.participantId ?? `sys:${m.systemRole}`;
  const findAccounts = async (wanted: typeof list) =>
    (
      await trx.raw<{ rows: Array<{ id: string; participant_id: string | null; system_role: string | null; asset: string }> }>(
        `SELECT a.id, a.participant_id, a.system_role, a.asset FROM accounts a
           JOIN unnest(?::text[], ?::text[]) AS k(owner, asset)
             ON a.asset = k.asset AND k.owner = coalesce(a.participant_id::text, 'sys:' || a.system_role)`,
        [sqlArray(wanted.map(owner)), sqlArray(wanted.map((m) => m.asset))],
      )
    ).rows;
  const accountIds = new Map((await findAccounts(list)).map((r) => [key(r.participant_id ?? `sys:${r.system_role}`, r.asset), r.id]));
  const missing = list.filter((m) => !accountIds.has(key(owner(m), m.asset)));
  if (missing.length > 0) {
    const participantAccounts = missing.filter((m) => m.participantId !== null);
    if (participantAccounts.length > 0) {
      await trx.raw(
        `INSERT INTO accounts (participant_id, asset) SELECT * FROM unnest(?::bigint[], ?::text[]) ON CONFLICT (participant_id, asset) DO NOTHING`,
        [sqlArray(participantAccounts.map((m) => m.participantId)), sqlArray(participantAccounts.map((m) => m.asset))],
      );
    }
    if (missing.some((m) => m.systemRole === 'fees')) {
      await trx.raw(`INSERT INTO accounts (system_role, asset) VALUES ('fees', ?) ON CONFLICT (system_role, asset) DO NOTHING`, [CASH]);
    }
    for (const r of await findAccounts(missing)) accountIds.set(key(r.participant_id ?? `sys:${r.system_role}`, r.asset), r.id);
  }
  for (const m of list) if (!accountIds.has(key(owner(m), m.asset))) throw new Error(`no account for ${owner(m)} ${m.asset}`);
  const ids = list.map((m) => accountIds.get(key(owner(m), m.asset))!);

  // What touches no account first, in one statement: one journal transfer per trade, the
  // settlement rows (their primary key is what makes a trade settle once), the trades' status
  // and the outbox. Accounts are locked as late as possible: the engine and the other workers
  // wait for them.
  const tradeIds = sqlArray(trades.map((t) => t.id));
  const transfers = await trx.raw<{ rows: Array<{ id: string; trade_id: string; settled_at: Date }> }>(
    `WITH tr AS (
       INSERT INTO journal_transfers (kind, reference, trade_id)
       SELECT 'settlement', 'trade:' || t, t FROM unnest(?::bigint[]) AS t RETURNING id, trade_id
     ), s AS (
       INSERT INTO settlements (trade_id, transfer_id, certificate_no)
       SELECT tr.trade_id, tr.id, c.no FROM tr JOIN unnest(?::bigint[], ?::text[]) AS c(trade_id, no) ON c.trade_id = tr.trade_id
       RETURNING settled_at
     ), u AS (
       UPDATE trades SET status = 'settled' WHERE id = ANY(?::bigint[])
     ), d AS (
       DELETE FROM settlement_outbox WHERE trade_id = ANY(?::bigint[])
     )
     SELECT tr.id, tr.trade_id, (SELECT max(settled_at) FROM s) AS settled_at FROM tr`,
    [tradeIds, tradeIds, sqlArray(trades.map((t) => settlementCertificateNo(t))), tradeIds, tradeIds],
  );
  const transferOf = new Map(transfers.rows.map((r) => [r.trade_id, r.id]));
  const settledAt = transfers.rows[0]!.settled_at;

  // Account locks in id order (the engine's order too) before anything else touches them, and
  // only as strong as a balance update needs (NO KEY UPDATE, like the engine's): the key-share
  // locks the postings' foreign keys take then conflict with nobody's. Then the postings,
  // balanced per asset per transfer (a trigger checks), and the lots.
  await trx.raw(`SELECT id FROM accounts WHERE id = ANY(?::bigint[]) ORDER BY id FOR NO KEY UPDATE`, [sqlArray(ids)]);
  const lines = postings.filter((p) => !p.amount.isZero());
  await trx.raw(
    `INSERT INTO postings (transfer_id, account_id, asset, amount) SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::numeric[])`,
    [sqlArray(lines.map((p) => transferOf.get(p.tradeId))), sqlArray(lines.map((p) => accountIds.get(p.accountKey))), sqlArray(lines.map((p) => p.asset)), sqlArray(lines.map((p) => p.amount.toString()))],
  );

  await deliverLots(trx, trades);

  // The balances move last, on rows already locked.
  await trx.raw(
    `UPDATE accounts a SET available = a.available + v.da, locked = a.locked + v.dl
       FROM unnest(?::bigint[], ?::numeric[], ?::numeric[]) AS v(id, da, dl) WHERE a.id = v.id`,
    [sqlArray(ids), sqlArray(list.map((m) => m.available.toString())), sqlArray(list.map((m) => m.locked.toString()))],
  );
  return settledAt;
}

/**
 * Moves quantity lot by lot: each seller's oldest holdings go first (FIFO), splitting a lot when
 * needed, trade after trade in id order, so every holding keeps its lot lineage.
 */
async function deliverLots(trx: Knex.Transaction, trades: TradeRow[]): Promise<void> {
  // The holdings of exactly the (holder, instrument) pairs involved, whose accounts this
  // transaction has locked already.
  const pairs = [...new Map(trades.flatMap((t) => [[key(t.seller_id, t.symbol), [t.seller_id, t.symbol]], [key(t.buyer_id, t.symbol), [t.buyer_id, t.symbol]]] as const)).values()];
  const { rows } = await trx.raw<{ rows: Array<{ id: string; lot_id: string; participant_id: string; symbol: string; quantity: string }> }>(
    `SELECT h.id, h.lot_id, h.participant_id, h.symbol, h.quantity FROM lot_holdings h
       JOIN unnest(?::bigint[], ?::text[]) AS p(participant_id, symbol) ON h.participant_id = p.participant_id AND h.symbol = p.symbol
      ORDER BY h.acquired_at, h.lot_id FOR UPDATE OF h`,
    [sqlArray(pairs.map((p) => p[0])), sqlArray(pairs.map((p) => p[1]))],
  );
  // Frozen lots' pieces are locked where they lie: sellers deliver from their other lots.
  const frozen = await frozenAmong(trx, rows.map((r) => r.lot_id));
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
      if (h.quantity.isZero() || frozen.has(String(h.lotId))) continue;
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
