import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { reconcile } from '../../../server/ledger/reconciliation.ts';
import { eventually, type TestPlatform } from './test-platform.ts';

/** Helpers shared by the server integration tests: typed reads, order entry and state snapshots. */

export interface AccountView {
  cash: { currency: 'CNY'; available: string; locked: string };
  holdings: Array<{ symbol: string; available: string; locked: string }>;
}

export interface BookView {
  symbol: string;
  sequence: number;
  bids: Array<{ price: string; quantity: string; orders: number }>;
  asks: Array<{ price: string; quantity: string; orders: number }>;
}

export interface OrderReply {
  order: {
    id: string;
    clientOrderId: string | null;
    symbol: string;
    side: string;
    type: string;
    timeInForce: string;
    price: string | null;
    quantity: string;
    filledQuantity: string;
    status: string;
    cancelReason: string | null;
  };
  fills: Array<{ tradeId: string; price: string; quantity: string }>;
}

export interface OrderInput {
  symbol: string;
  side: 'buy' | 'sell';
  price?: string;
  quantity: string;
  type?: 'limit' | 'market';
  timeInForce?: 'GTC' | 'IOC' | 'FOK' | 'DAY';
  clientOrderId?: string;
}

export async function account(tp: TestPlatform, token: string): Promise<AccountView> {
  const res = await tp.api('GET', '/api/account', token);
  if (res.statusCode !== 200) throw new Error(`GET /api/account: ${res.statusCode} ${res.body}`);
  return res.json<AccountView>();
}

/** Cash of a participant as [available, locked]. */
export async function cash(tp: TestPlatform, token: string): Promise<[string, string]> {
  const { cash: c } = await account(tp, token);
  return [c.available, c.locked];
}

/** Holding of one symbol as [available, locked]; ['none'] when the participant has no account for it. */
export async function holding(tp: TestPlatform, token: string, symbol: string): Promise<[string, string] | ['none']> {
  const h = (await account(tp, token)).holdings.find((x) => x.symbol === symbol);
  return h ? [h.available, h.locked] : ['none'];
}

export async function book(tp: TestPlatform, symbol: string): Promise<BookView> {
  const res = await tp.api('GET', `/api/instruments/${symbol}/book`);
  if (res.statusCode !== 200) throw new Error(`GET book ${symbol}: ${res.statusCode} ${res.body}`);
  return res.json<BookView>();
}

/** Price levels only (the sequence is a stream counter, not book content). */
export async function levels(tp: TestPlatform, symbol: string): Promise<Pick<BookView, 'bids' | 'asks'>> {
  const { bids, asks } = await book(tp, symbol);
  return { bids, asks };
}

export function submit(tp: TestPlatform, token: string, input: OrderInput): Promise<LightMyRequestResponse> {
  return tp.api('POST', '/api/orders', token, { type: 'limit', timeInForce: 'GTC', ...input });
}

/** Places an order that must be accepted (201); returns its body. */
export async function place(tp: TestPlatform, token: string, input: OrderInput): Promise<OrderReply> {
  const res = await submit(tp, token, input);
  if (res.statusCode !== 201) throw new Error(`place ${JSON.stringify(input)}: ${res.statusCode} ${res.body}`);
  return res.json<OrderReply>();
}

export async function cancel(tp: TestPlatform, token: string, orderId: string): Promise<OrderReply> {
  const res = await tp.api('DELETE', `/api/orders/${orderId}`, token);
  if (res.statusCode !== 200) throw new Error(`cancel ${orderId}: ${res.statusCode} ${res.body}`);
  return res.json<OrderReply>();
}

export async function amend(tp: TestPlatform, token: string, orderId: string, change: { price?: string; quantity?: string }): Promise<OrderReply> {
  const res = await tp.api('PATCH', `/api/orders/${orderId}`, token, change);
  if (res.statusCode !== 200) throw new Error(`amend ${orderId}: ${res.statusCode} ${res.body}`);
  return res.json<OrderReply>();
}

/** Asserts a refusal: the status, the stable code, and the `{statusCode, code, message}` shape. */
export function expectRefusal(res: LightMyRequestResponse, status: number, code: string): void {
  const body = res.json<{ statusCode: unknown; code: unknown; message: unknown; params?: unknown }>();
  expect({ status: res.statusCode, code: body.code }, res.body).toEqual({ status, code });
  expect(body.statusCode).toBe(status);
  expect(typeof body.message).toBe('string');
  expect((body.message as string).length).toBeGreaterThan(0);
  // params, when a refusal names figures, are strings by name (server/errors.ts).
  const { params, ...rest } = body;
  expect(Object.keys(rest).sort()).toEqual(['code', 'message', 'statusCode']);
  if (params !== undefined) for (const value of Object.values(params as Record<string, unknown>)) expect(typeof value).toBe('string');
}

export async function settlementStatus(tp: TestPlatform, tradeId: string): Promise<string> {
  const res = await tp.api('GET', `/api/settlements/${tradeId}`, tp.regulatorToken);
  if (res.statusCode !== 200) throw new Error(`settlement ${tradeId}: ${res.statusCode} ${res.body}`);
  return res.json<{ status: string }>().status;
}

export async function waitSettled(tp: TestPlatform, tradeIds: string[]): Promise<void> {
  for (const id of tradeIds) await eventually(async () => (await settlementStatus(tp, id)) === 'settled', `trade ${id} settled`);
}

/** Waits until every trade in the database is settled. */
export async function waitAllSettled(tp: TestPlatform): Promise<void> {
  await eventually(async () => (await count(tp, 'trades', "status <> 'settled'")) === 0, 'every trade settled');
}

export async function count(tp: TestPlatform, table: string, where = 'true'): Promise<number> {
  const res = await tp.running.platform.knex.raw<{ rows: Array<{ n: string }> }>(`SELECT count(*)::text AS n FROM ${table} WHERE ${where}`);
  return Number(res.rows[0]!.n);
}

/** Everything a refused request must leave untouched, read through the API and from PostgreSQL. */
export async function stateSnapshot(tp: TestPlatform, tokens: string[], symbols: string[]) {
  const knex = tp.running.platform.knex;
  const [accounts, books, rows, tables] = await Promise.all([
    Promise.all(tokens.map((t) => account(tp, t))),
    Promise.all(symbols.map((s) => book(tp, s))),
    knex.raw<{ rows: Array<{ id: string; available: string; locked: string }> }>(`SELECT id, available::text, locked::text FROM accounts ORDER BY id`),
    knex.raw<{ rows: Array<Record<string, string>> }>(
      `SELECT (SELECT count(*) FROM orders)::text AS orders,
              (SELECT count(*) FROM orders WHERE status IN ('open', 'partially_filled'))::text AS open_orders,
              (SELECT coalesce(max(updated_at)::text, '') FROM orders) AS last_order_update,
              (SELECT count(*) FROM trades)::text AS trades,
              (SELECT count(*) FROM journal_transfers)::text AS transfers,
              (SELECT count(*) FROM postings)::text AS postings,
              (SELECT count(*) FROM settlement_outbox)::text AS outbox,
              (SELECT count(*) FROM lots)::text AS lots,
              (SELECT count(*) FROM participants)::text AS participants,
              (SELECT string_agg(symbol || ':' || status, ',' ORDER BY symbol) FROM instruments) AS instruments`,
    ),
  ]);
  return { accounts, books, accountRows: rows.rows, tables: tables.rows[0] };
}

export async function expectLedgerReconciles(tp: TestPlatform): Promise<void> {
  const report = await reconcile(tp.running.platform.knex);
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(report.ok).toBe(true);
}
