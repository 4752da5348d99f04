import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../server/ledger/reconciliation.ts';
import { eventually, startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { place } from './support/market.ts';

// Reconciliation must find what it claims to check. Each case breaks one trade's settlement
// record inside a transaction, runs the check on that transaction, then rolls it back.

let tp: TestPlatform;
let settledTrade: string;
let pendingTrade: string;

beforeAll(async () => {
  tp = await startTestPlatform('reconciliation', { SETTLEMENT_WORKERS: 1 });
  const [seller, buyer] = await Promise.all([tp.participant('enterprise'), tp.participant('enterprise')]);
  await Promise.all([tp.lot(seller!.id, 'CARBON-2024', '10'), tp.deposit(buyer!.id, '1000.00')]);
  await place(tp, seller!.token, { symbol: 'CARBON-2024', side: 'sell', price: '62.00', quantity: '2' });
  settledTrade = (await place(tp, buyer!.token, { symbol: 'CARBON-2024', side: 'buy', price: '62.00', quantity: '1', timeInForce: 'IOC' })).fills[0]!.tradeId;
  const knex = tp.running.platform.knex;
  await eventually(async () => (await knex('trades').where({ id: settledTrade }).first<{ status: string }>('status'))!.status === 'settled', 'the first trade settled');
  // A second trade kept pending: no worker runs from here on.
  await tp.restart({ SETTLEMENT_WORKERS: 0 });
  pendingTrade = (await place(tp, buyer!.token, { symbol: 'CARBON-2024', side: 'buy', price: '62.00', quantity: '1', timeInForce: 'IOC' })).fills[0]!.tradeId;
});
afterAll(async () => {
  await tp?.close();
});

async function settlementCheckWith(tamper: (trx: Knex.Transaction) => Promise<unknown>) {
  const trx = await tp.running.platform.knex.transaction();
  try {
    await tamper(trx);
    const report = await reconcile(trx);
    return report.checks.find((c) => c.name === 'every settled trade is settled exactly once')!;
  } finally {
    await trx.rollback();
  }
}

describe('the settled-exactly-once check', () => {
  it('passes on an honest ledger', async () => {
    const check = await settlementCheckWith(async () => {});
    expect(check.ok).toBe(true);
    expect(check.details).toMatchObject({ settled: '1', pending: '1', mismatches: [] });
  });

  it('finds a trade marked settled that has no settlement', async () => {
    const check = await settlementCheckWith((trx) => trx('trades').where({ id: pendingTrade }).update({ status: 'settled' }));
    expect(check.ok).toBe(false);
    expect(check.details.mismatches).toEqual([{ trade_id: pendingTrade, status: 'settled', settlements: '0', transfers: '0' }]);
  });

  it('finds a settled trade whose status says pending', async () => {
    const check = await settlementCheckWith((trx) => trx('trades').where({ id: settledTrade }).update({ status: 'pending' }));
    expect(check.ok).toBe(false);
    expect(check.details.mismatches).toEqual([{ trade_id: settledTrade, status: 'pending', settlements: '1', transfers: '1' }]);
  });

  it('finds a trade paid twice in the journal', async () => {
    const check = await settlementCheckWith(async (trx) => {
      await trx('journal_transfers').insert({ kind: 'settlement', reference: `tampered:${settledTrade}`, trade_id: settledTrade });
    });
    expect(check.ok).toBe(false);
    expect(check.details.mismatches).toEqual([{ trade_id: settledTrade, status: 'settled', settlements: '1', transfers: '2' }]);
  });
});
