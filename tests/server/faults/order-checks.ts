import type { Knex } from 'knex';
import { dec } from '../../../server/shared/decimal.ts';
import type { TestPlatform } from '../support/test-platform.ts';
import { submit, type OrderInput, type OrderReply } from '../support/market.ts';

// What a fault test knows about the orders it sent, and the checks that compare that with
// PostgreSQL: an answered order is there with exactly the fills it was told about; an order that
// was refused is not; an order that got no answer is wholly there or wholly absent.

export interface OrderBody {
  symbol: string;
  side: 'buy' | 'sell';
  type: 'limit';
  price: string;
  quantity: string;
  timeInForce: 'GTC' | 'IOC';
  clientOrderId: string;
}

export interface OrderAnswer {
  order: { id: string; clientOrderId: string | null; symbol: string; side: string; price: string | null; quantity: string; filledQuantity: string; status: string };
  fills: Array<{ tradeId: string; price: string; quantity: string }>;
}

export interface Attempt {
  participantId: string;
  body: OrderBody;
  /** HTTP status, when an answer came. */
  status?: number;
  /** The parsed answer body, when one came. */
  answer?: unknown;
  /** Why no answer came (connection refused or reset, timeout). */
  error?: string;
}

export const norm = (value: string | number | null | undefined) => (value === null || value === undefined ? null : dec(String(value)).toString());

interface OrderRow {
  id: string;
  participant_id: string;
  client_order_id: string;
  symbol: string;
  side: string;
  price: string | null;
  quantity: string;
  filled_quantity: string;
  status: string;
}
interface TradeRow {
  id: string;
  price: string;
  quantity: string;
  buy_order_id: string;
  sell_order_id: string;
  aggressor_side: 'buy' | 'sell';
}

export interface OrderCheckSummary {
  answered201: number;
  refused: number;
  unavailable503: number;
  unansweredPresent: number;
  unansweredAbsent: number;
  /** Every mismatch found, as sentences; empty when PostgreSQL agrees with every answer. */
  problems: string[];
}

/** Fills an order took on arrival (as the aggressor), in trade id order. */
function takerFills(order: OrderRow, trades: TradeRow[]) {
  return trades
    .filter((t) => t.aggressor_side === order.side && (order.side === 'buy' ? t.buy_order_id : t.sell_order_id) === order.id)
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((t) => ({ tradeId: t.id, price: norm(t.price), quantity: norm(t.quantity) }));
}

export async function checkOrders(knex: Knex, attempts: Attempt[]): Promise<OrderCheckSummary> {
  const ids = attempts.map((a) => a.body.clientOrderId);
  const orders = (
    await knex.raw<{ rows: OrderRow[] }>(
      `SELECT id, participant_id, client_order_id, symbol, side, price::text, quantity::text, filled_quantity::text, status
         FROM orders WHERE client_order_id = ANY(?::text[])`,
      [ids],
    )
  ).rows;
  const orderIds = orders.map((o) => o.id);
  const trades = (
    await knex.raw<{ rows: TradeRow[] }>(
      `SELECT id, price::text, quantity::text, buy_order_id, sell_order_id, aggressor_side FROM trades
        WHERE buy_order_id = ANY(?::bigint[]) OR sell_order_id = ANY(?::bigint[])`,
      [orderIds, orderIds],
    )
  ).rows;
  const audits = (
    await knex.raw<{ rows: Array<{ subject: string; payload: { fills?: string[]; clientOrderId?: string } }> }>(
      `SELECT subject, payload FROM audit_log WHERE action = 'order.place' AND subject = ANY(?::text[])`,
      [orderIds.map((id) => `order:${id}`)],
    )
  ).rows;
  const byClientId = new Map(orders.map((o) => [o.client_order_id, o]));
  const tradesOf = new Map<string, TradeRow[]>();
  for (const t of trades) {
    for (const id of [t.buy_order_id, t.sell_order_id]) tradesOf.set(id, [...(tradesOf.get(id) ?? []), t]);
  }
  const auditOf = new Map(audits.map((a) => [a.subject.replace(/^order:/, ''), a.payload]));

  const problems: string[] = [];
  const summary: OrderCheckSummary = { answered201: 0, refused: 0, unavailable503: 0, unansweredPresent: 0, unansweredAbsent: 0, problems };
  if (orders.length !== byClientId.size) problems.push(`${orders.length - byClientId.size} clientOrderIds are stored more than once`);

  /** An order row whose effects are all there: its fills, its audit row, its status. */
  const whole = (row: OrderRow, where: string) => {
    const all = tradesOf.get(row.id) ?? [];
    const filled = all.reduce((sum, t) => sum.add(t.quantity), dec(0));
    if (!filled.eq(row.filled_quantity)) problems.push(`${where}: filled_quantity ${row.filled_quantity} but its trades sum to ${filled.toString()}`);
    const audit = auditOf.get(row.id);
    if (!audit) problems.push(`${where}: no order.place audit row`);
    else if (JSON.stringify(audit.fills ?? []) !== JSON.stringify(takerFills(row, all).map((f) => f.tradeId))) {
      problems.push(`${where}: audit lists fills ${JSON.stringify(audit.fills)} but the taker trades are ${JSON.stringify(takerFills(row, all).map((f) => f.tradeId))}`);
    }
    const full = dec(row.filled_quantity).eq(row.quantity);
    const statusOk =
      row.status === 'filled' ? full : row.status === 'open' ? dec(row.filled_quantity).isZero() : row.status === 'partially_filled' ? !full && !dec(row.filled_quantity).isZero() : row.status === 'cancelled' ? !full : false;
    if (!statusOk) problems.push(`${where}: status ${row.status} with ${row.filled_quantity} of ${row.quantity} filled`);
  };

  for (const a of attempts) {
    const where = `order ${a.body.clientOrderId}`;
    const row = byClientId.get(a.body.clientOrderId);
    if (row && row.participant_id !== a.participantId) problems.push(`${where}: stored for participant ${row.participant_id}, sent by ${a.participantId}`);
    if (a.status === 201) {
      summary.answered201++;
      const answer = a.answer as OrderAnswer;
      if (!row) {
        problems.push(`${where}: answered 201 (order ${answer.order.id}) but not in the database`);
        continue;
      }
      whole(row, where);
      if (row.id !== answer.order.id) problems.push(`${where}: answered order ${answer.order.id}, stored as ${row.id}`);
      const sent = { symbol: a.body.symbol, side: a.body.side, price: norm(a.body.price), quantity: norm(a.body.quantity) };
      const stored = { symbol: row.symbol, side: row.side, price: norm(row.price), quantity: norm(row.quantity) };
      if (JSON.stringify(sent) !== JSON.stringify(stored)) problems.push(`${where}: sent ${JSON.stringify(sent)}, stored ${JSON.stringify(stored)}`);
      const told = answer.fills.map((f) => ({ tradeId: f.tradeId, price: norm(f.price), quantity: norm(f.quantity) })).sort((x, y) => Number(x.tradeId) - Number(y.tradeId));
      const taken = takerFills(row, tradesOf.get(row.id) ?? []);
      if (JSON.stringify(told) !== JSON.stringify(taken)) problems.push(`${where}: answer listed fills ${JSON.stringify(told)}, the database has ${JSON.stringify(taken)}`);
      if (['filled', 'cancelled'].includes(answer.order.status) && row.status !== answer.order.status) {
        problems.push(`${where}: answered ${answer.order.status}, stored ${row.status}`);
      }
      if (dec(row.filled_quantity).lt(answer.order.filledQuantity)) problems.push(`${where}: answered ${answer.order.filledQuantity} filled, stored ${row.filled_quantity}`);
    } else if (a.status !== undefined && a.status < 500) {
      summary.refused++;
      if (row) problems.push(`${where}: refused with ${a.status} but stored as order ${row.id}`);
    } else if (a.status === 503 && (a.answer as { code?: string } | undefined)?.code === 'ENGINE_UNAVAILABLE') {
      summary.unavailable503++;
      if (row) problems.push(`${where}: answered 503 ENGINE_UNAVAILABLE ("nothing was changed") but stored as order ${row.id}`);
    } else if (row) {
      summary.unansweredPresent++;
      whole(row, where);
    } else {
      summary.unansweredAbsent++;
    }
  }
  return summary;
}

export interface Level {
  price: string;
  quantity: string;
  orders: number;
}

/** Price levels of one symbol as PostgreSQL's open orders say, best first, normalised. */
export async function databaseLevels(knex: Knex, symbol: string): Promise<{ bids: Level[]; asks: Level[] }> {
  const rows = (
    await knex.raw<{ rows: Array<{ side: 'buy' | 'sell'; price: string; quantity: string; orders: string }> }>(
      `SELECT side, price::text, sum(quantity - filled_quantity)::text AS quantity, count(*)::text AS orders
         FROM orders WHERE symbol = ? AND status IN ('open', 'partially_filled') GROUP BY side, price`,
      [symbol],
    )
  ).rows;
  const level = (r: (typeof rows)[number]) => ({ price: norm(r.price)!, quantity: norm(r.quantity)!, orders: Number(r.orders) });
  return {
    bids: rows.filter((r) => r.side === 'buy').sort((a, b) => dec(b.price).cmp(a.price)).map(level),
    asks: rows.filter((r) => r.side === 'sell').sort((a, b) => dec(a.price).cmp(b.price)).map(level),
  };
}

export const normLevels = (levels: Level[]) => levels.map((l) => ({ price: norm(l.price)!, quantity: norm(l.quantity)!, orders: l.orders }));

/** Resting orders of one side in the priority the book must hold them: price, then priority. */
export async function databaseQueue(knex: Knex, symbol: string, side: 'buy' | 'sell'): Promise<Array<{ orderId: string; price: string; remaining: string }>> {
  const rows = (
    await knex.raw<{ rows: Array<{ id: string; price: string; remaining: string }> }>(
      `SELECT id, price::text, (quantity - filled_quantity)::text AS remaining FROM orders
        WHERE symbol = ? AND side = ? AND status IN ('open', 'partially_filled')
        ORDER BY price ${side === 'buy' ? 'DESC' : 'ASC'}, priority ASC`,
      [symbol, side],
    )
  ).rows;
  return rows.map((r) => ({ orderId: r.id, price: norm(r.price)!, remaining: norm(r.remaining)! }));
}

/** Per-trade settlement bookkeeping: exactly one settlements row and one settlement transfer each. */
export async function settlementCounts(knex: Knex): Promise<{ trades: number; settled: number; notExactlyOnce: Array<{ id: string; settlements: string; transfers: string; status: string }> }> {
  const rows = (
    await knex.raw<{ rows: Array<{ id: string; status: string; settlements: string; transfers: string }> }>(
      `SELECT t.id, t.status,
              (SELECT count(*) FROM settlements s WHERE s.trade_id = t.id)::text AS settlements,
              (SELECT count(*) FROM journal_transfers j WHERE j.trade_id = t.id AND j.kind = 'settlement')::text AS transfers
         FROM trades t`,
    )
  ).rows;
  return {
    trades: rows.length,
    settled: rows.filter((r) => r.status === 'settled').length,
    notExactlyOnce: rows.filter((r) => r.settlements !== '1' || r.transfers !== '1' || r.status !== 'settled').slice(0, 20),
  };
}

export interface Funding {
  cash: string;
  holdings: Record<string, string>;
}

/**
 * Balances after settlement, recomputed from first principles: what each participant was funded
 * with, less what it paid for (price × quantity + buyer fee), plus what it sold for (less the
 * seller fee), and its quantities moved by every trade once. With no open orders left, nothing is
 * locked. Returns every difference as a sentence.
 */
export async function balanceProblems(knex: Knex, funding: Map<string, Funding>): Promise<string[]> {
  const ids = [...funding.keys()];
  const trades = (
    await knex.raw<{ rows: Array<{ id: string; symbol: string; price: string; quantity: string; amount: string; buyer_fee: string; seller_fee: string; buyer_id: string; seller_id: string }> }>(
      `SELECT id, symbol, price::text, quantity::text, amount::text, buyer_fee::text, seller_fee::text, buyer_id, seller_id FROM trades
        WHERE buyer_id = ANY(?::bigint[]) OR seller_id = ANY(?::bigint[])`,
      [ids, ids],
    )
  ).rows;
  const problems: string[] = [];
  const expected = new Map<string, ReturnType<typeof dec>>();
  const add = (participantId: string, asset: string, amount: ReturnType<typeof dec>) => {
    if (!funding.has(participantId)) return;
    const key = `${participantId}|${asset}`;
    expected.set(key, (expected.get(key) ?? dec(0)).add(amount));
  };
  for (const [participantId, f] of funding) {
    add(participantId, 'CNY', dec(f.cash));
    for (const [symbol, quantity] of Object.entries(f.holdings)) add(participantId, symbol, dec(quantity));
  }
  for (const t of trades) {
    if (!dec(t.amount).eq(dec(t.price).mul(t.quantity).toDecimalPlaces(2))) problems.push(`trade ${t.id}: amount ${t.amount} is not ${t.price} × ${t.quantity}`);
    add(t.buyer_id, 'CNY', dec(t.amount).add(t.buyer_fee).neg());
    add(t.seller_id, 'CNY', dec(t.amount).sub(t.seller_fee));
    add(t.buyer_id, t.symbol, dec(t.quantity));
    add(t.seller_id, t.symbol, dec(t.quantity).neg());
  }
  const accounts = (
    await knex.raw<{ rows: Array<{ participant_id: string; asset: string; available: string; locked: string }> }>(
      `SELECT participant_id, asset, available::text, locked::text FROM accounts WHERE participant_id = ANY(?::bigint[])`,
      [ids],
    )
  ).rows;
  const seen = new Set<string>();
  for (const a of accounts) {
    const key = `${a.participant_id}|${a.asset}`;
    seen.add(key);
    const want = expected.get(key) ?? dec(0);
    if (!dec(a.locked).isZero()) problems.push(`${key}: ${a.locked} still locked`);
    if (!dec(a.available).add(a.locked).eq(want)) problems.push(`${key}: balance ${dec(a.available).add(a.locked).toString()}, expected ${want.toString()}`);
  }
  for (const [key, want] of expected) if (!seen.has(key) && !want.isZero()) problems.push(`${key}: no account, expected ${want.toString()}`);
  return problems;
}

/** The platform's fee account holds exactly the fees of the settled trades. */
export async function feeProblems(knex: Knex): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: Array<{ fees: string | null; held: string | null }> }>(
    `SELECT (SELECT sum(buyer_fee + seller_fee) FROM trades WHERE status = 'settled')::text AS fees,
            (SELECT sum(available + locked) FROM accounts WHERE system_role = 'fees' AND asset = 'CNY')::text AS held`,
  );
  const { fees, held } = rows[0]!;
  return dec(fees ?? '0').eq(held ?? '0') ? [] : [`the fee account holds ${held ?? '0'}, settled trades charged ${fees ?? '0'}`];
}

let placed = 0;

/**
 * Places an order that must be accepted. A `503 ENGINE_UNAVAILABLE` (its batch failed; nothing
 * was recorded) is retried, as a client would, with the same clientOrderId — today such refusals
 * happen without any fault (settlement-deadlock.test.ts), and they are not what these fault
 * tests are about.
 */
export async function placeAccepted(tp: TestPlatform, token: string, input: OrderInput): Promise<OrderReply> {
  const order = { ...input, clientOrderId: input.clientOrderId ?? `fault-${process.pid}-${placed++}` };
  for (let attempt = 0; attempt < 20; attempt++) {
    const res = await submit(tp, token, order);
    if (res.statusCode === 201) return res.json<OrderReply>();
    if (res.statusCode !== 503 || res.json<{ code: string }>().code !== 'ENGINE_UNAVAILABLE') throw new Error(`place ${JSON.stringify(order)}: ${res.statusCode} ${res.body}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`place ${JSON.stringify(order)}: still 503 ENGINE_UNAVAILABLE after 20 tries`);
}
