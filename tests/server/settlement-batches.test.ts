import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { place } from './support/market.ts';
import { inspectionKnex } from './support/fault-processes.ts';
import { reconcile } from '../../server/ledger/reconciliation.ts';
import { lockSettlementQueue, settleAvailable } from '../../server/settlement/settle-trade.ts';
import { SettlementLane } from '../../server/settlement/settlement-queue.ts';
import { Dec, dec } from '../../server/shared/decimal.ts';

// Batched settlement (issue 4's throughput work): workers settle many trades per transaction,
// each taking whole seller queues (a seller's pending trades of one instrument, oldest first)
// that no other worker holds. Driven here without BullMQ: the platform runs no workers, the test
// runs settlement lanes itself, so it decides who settles what and when.

const C24 = 'CARBON-2024';
let tp: TestPlatform;
let knex: Knex;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  tp = await startTestPlatform('settle-batches', { SETTLEMENT_WORKERS: 0, LOGIN_RATE_LIMIT_PER_MINUTE: 1000 });
  knex = inspectionKnex(tp.config.DATABASE_URL);
});
afterAll(async () => {
  await knex?.destroy();
  await tp?.close();
});

const pendingTrades = async () => (await knex('trades').where({ status: 'pending' }).orderBy('id').pluck('id')) as string[];

/** Each seller rests `each` sells of `quantity`; the buyers sweep them in turn: one trade per sell. */
async function trade(sellers: Array<{ token: string }>, buyers: Array<{ token: string }>, each: number, quantity: string): Promise<void> {
  for (let round = 0; round < each; round++) {
    for (const s of sellers) await place(tp, s.token, { symbol: C24, side: 'sell', price: '62.00', quantity });
    const b = buyers[round % buyers.length]!;
    const sweep = await place(tp, b.token, { symbol: C24, side: 'buy', price: '62.00', quantity: dec(quantity).mul(sellers.length).toString(), timeInForce: 'IOC' });
    expect(sweep.order.status).toBe('filled');
  }
}

/** Lot deliveries must be exactly what FIFO over the seller's lots, trade after trade in id order, gives. */
async function fifoProblems(sellerId: string): Promise<string[]> {
  const lots = await knex('lot_movements').where({ kind: 'issue', to_participant_id: sellerId }).orderBy('id').select<Array<{ lot_id: string; quantity: string }>>('lot_id', 'quantity');
  const trades = await knex('trades').where({ seller_id: sellerId, symbol: C24 }).orderBy('id').select<Array<{ id: string; quantity: string }>>('id', 'quantity');
  const expected: string[] = [];
  const left = lots.map((l) => ({ lotId: l.lot_id, quantity: dec(l.quantity) }));
  for (const t of trades) {
    let owed = dec(t.quantity);
    for (const l of left) {
      if (owed.isZero()) break;
      const take = Dec.min(owed, l.quantity);
      if (take.isZero()) continue;
      l.quantity = l.quantity.sub(take);
      owed = owed.sub(take);
      expected.push(`${t.id}:${l.lotId}:${take.toString()}`);
    }
  }
  const actual = (
    await knex('lot_movements').where({ kind: 'trade', from_participant_id: sellerId }).orderBy([{ column: 'trade_id' }, { column: 'id' }]).select<Array<{ trade_id: string; lot_id: string; quantity: string }>>('trade_id', 'lot_id', 'quantity')
  ).map((m) => `${m.trade_id}:${m.lot_id}:${dec(m.quantity).toString()}`);
  return actual.join() === expected.join() ? [] : [`seller ${sellerId}: expected ${expected.join(' ')}, delivered ${actual.join(' ')}`];
}

describe('batched settlement', () => {
  it('two lanes settling side by side keep every seller FIFO over its lots, and each trade settles once', { timeout: 90_000 }, async () => {
    const sellers = await Promise.all(Array.from({ length: 4 }, () => tp.participant('enterprise')));
    const buyers = await Promise.all(Array.from({ length: 3 }, () => tp.participant('enterprise')));
    // Three lots per seller, of awkward sizes, so deliveries split lots and cross from one to the next.
    for (const s of sellers) for (const q of ['7', '5', '11']) await tp.lot(s.id, C24, q);
    await Promise.all(buyers.map((b) => tp.deposit(b.id, '1000000.00')));
    // One buyer sells too, from a lot of its own, in the same batches as its purchases.
    const reseller = buyers[0]!;
    await tp.lot(reseller.id, C24, '4');
    await trade(sellers, buyers, 8, '2');
    await trade([...sellers, reseller], buyers.slice(1), 3, '1');
    const ids = await pendingTrades();
    expect(ids.length).toBe(4 * 8 + 5 * 3);

    // Two workers (own connection pools), small batches, every job delivered to both, in
    // opposite orders: lots of overlap, queues taken by one and skipped by the other.
    const pools = [inspectionKnex(tp.config.DATABASE_URL), inspectionKnex(tp.config.DATABASE_URL)];
    try {
      const lanes = pools.map((k) => new SettlementLane(k, log, 5));
      const outcomes = await Promise.all([
        Promise.all(ids.map((id) => lanes[0]!.settle(id))),
        Promise.all([...ids].reverse().map((id) => lanes[1]!.settle(id))),
      ]);
      const settledBy = outcomes.flat().filter((o) => o.outcome === 'settled').length;
      expect(settledBy).toBeGreaterThan(0);
    } finally {
      await Promise.all(pools.map((k) => k.destroy()));
    }

    expect(await pendingTrades()).toEqual([]);
    const once = await knex.raw<{ rows: Array<{ id: string }> }>(
      `SELECT t.id FROM trades t WHERE (SELECT count(*) FROM settlements s WHERE s.trade_id = t.id) <> 1
          OR (SELECT count(*) FROM journal_transfers j WHERE j.trade_id = t.id) <> 1`,
    );
    expect(once.rows).toEqual([]);
    expect(await knex('settlement_outbox').count<Array<{ count: string }>>('* as count')).toEqual([{ count: '0' }]);
    for (const s of [...sellers, reseller]) expect(await fifoProblems(s.id)).toEqual([]);
    const report = await reconcile(knex);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('never waits for a seller queue another worker holds: settles the other queues and answers busy', { timeout: 60_000 }, async () => {
    const [s1, s2, buyer] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise'), tp.participant('enterprise')]);
    await Promise.all([tp.lot(s1!.id, C24, '10'), tp.lot(s2!.id, C24, '10'), tp.deposit(buyer!.id, '100000.00')]);
    await trade([s1!, s2!], [buyer!], 2, '1');
    const ids = await pendingTrades();
    const held = await knex('trades').whereIn('id', ids).where({ seller_id: s1!.id }).orderBy('id').pluck('id');
    const free = await knex('trades').whereIn('id', ids).where({ seller_id: s2!.id }).orderBy('id').pluck('id');
    expect(held).toHaveLength(2);
    expect(free).toHaveLength(2);

    // Another worker is in the middle of s1's queue.
    const other = await knex.transaction();
    try {
      await lockSettlementQueue(other, s1!.id, C24);
      const started = Date.now();
      const result = await settleAvailable(tp.running.platform.knex, held[1]!, 100);
      expect(Date.now() - started).toBeLessThan(1500); // well under the batch's lock timeout: no waiting
      expect(result.outcome).toBe('busy');
      expect([...result.batch].sort()).toEqual([...free].sort());
      const statuses = await knex('trades').whereIn('id', [...held, ...free]).orderBy('id').pluck('status');
      expect(statuses.filter((s: string) => s === 'settled')).toHaveLength(2);
      expect(await knex('trades').whereIn('id', held).pluck('status')).toEqual(['pending', 'pending']);
    } finally {
      await other.rollback();
    }
    // Once the queue is free, the job settles its trade and the earlier one of the same seller.
    const lane = new SettlementLane(tp.running.platform.knex, log, 100);
    expect(await lane.settle(held[1]!)).toMatchObject({ outcome: 'settled' });
    expect(await knex('trades').whereIn('id', held).pluck('status')).toEqual(['settled', 'settled']);
    expect(await lane.settle(held[0]!)).toEqual({ outcome: 'already_settled', certificateNo: null });
    expect(await fifoProblems(s1!.id)).toEqual([]);
  });

  it('a held account does not stall a lane: other sellers settle while one trade waits', { timeout: 60_000 }, async () => {
    const [s1, s2, hostage, buyer] = await Promise.all(Array.from({ length: 4 }, () => tp.participant('enterprise')));
    await Promise.all([tp.lot(s1!.id, C24, '10'), tp.lot(s2!.id, C24, '10'), tp.deposit(hostage!.id, '100000.00'), tp.deposit(buyer!.id, '100000.00')]);
    await trade([s1!], [hostage!], 1, '1');
    const [hostageTrade] = await pendingTrades();
    await trade([s2!], [buyer!], 1, '1');
    const [, freeTrade] = await pendingTrades();
    // The hostage buyer's cash account is held by someone else for now.
    const hold = await knex.transaction();
    const lane = new SettlementLane(tp.running.platform.knex, log, 0);
    let waiting: Promise<unknown> | undefined;
    try {
      await hold.raw(`SELECT id FROM accounts WHERE participant_id = ? AND asset = 'CNY' FOR UPDATE`, [hostage!.id]);
      waiting = lane.settle(hostageTrade!);
      // Queued behind the blocked batch in the same lane, yet settled: the batch gave up its
      // turn after its lock timeout and the hostage trade now waits outside the lane.
      expect(await lane.settle(freeTrade!)).toMatchObject({ outcome: 'settled' });
      expect(await knex('trades').where({ id: hostageTrade }).first('status')).toEqual({ status: 'pending' });
    } finally {
      await hold.rollback();
    }
    expect(await waiting).toMatchObject({ outcome: 'settled' });
    const report = await reconcile(knex);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
