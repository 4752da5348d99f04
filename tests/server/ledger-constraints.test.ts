import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { cash, count, expectLedgerReconciles, holding, place, stateSnapshot } from './support/market.ts';
import { settleTrade } from '../../server/settlement/settle-trade.ts';

// The ledger's invariants live in PostgreSQL (issue 2, Build 3; ARCHITECTURE guarantees 2–5), so
// even SQL that bypasses the application is refused. No settlement worker runs here: the tests
// settle trades themselves with settleTrade.

let tp: TestPlatform;
let knex: Knex;
let seller: { id: string; token: string };
let buyer: { id: string; token: string };
let firstTrade: string;
let secondTrade: string;

interface PgError {
  code?: string;
  constraint?: string;
  message: string;
}

/** Runs SQL that must fail; returns PostgreSQL's error. */
async function refused(work: Promise<unknown>): Promise<PgError> {
  try {
    await work;
  } catch (error) {
    return error as PgError;
  }
  throw new Error('PostgreSQL accepted a statement it must refuse');
}

const accountId = async (participantId: string, asset: string) => (await knex('accounts').where({ participant_id: participantId, asset }).first<{ id: string }>('id'))!.id;
const systemAccountId = async (role: string, asset: string) => (await knex('accounts').where({ system_role: role, asset }).first<{ id: string }>('id'))!.id;
const snapshot = () => stateSnapshot(tp, [seller.token, buyer.token], ['CARBON-2024']);

beforeAll(async () => {
  tp = await startTestPlatform('ledger', { SETTLEMENT_WORKERS: 0 });
  knex = tp.running.platform.knex;
  [seller, buyer] = await Promise.all([tp.participant('enterprise', '江西林业碳汇开发有限公司', '宜春市袁州区'), tp.participant('enterprise')]);
  await tp.lot(seller.id, 'CARBON-2024', '100');
  await tp.deposit(buyer.id, '10000.00');
  await place(tp, seller.token, { symbol: 'CARBON-2024', side: 'sell', price: '62.00', quantity: '10' });
  firstTrade = (await place(tp, buyer.token, { symbol: 'CARBON-2024', side: 'buy', price: '62.00', quantity: '10' })).fills[0]!.tradeId;
  await place(tp, seller.token, { symbol: 'CARBON-2024', side: 'sell', price: '61.00', quantity: '20' });
  secondTrade = (await place(tp, buyer.token, { symbol: 'CARBON-2024', side: 'buy', price: '61.50', quantity: '20' })).fills[0]!.tradeId;
});
afterAll(async () => {
  await tp?.close();
});

describe('balances', () => {
  it('a participant account can never hold a negative available or locked amount', async () => {
    const before = await snapshot();
    const cashAccount = await accountId(buyer.id, 'CNY');
    for (const change of [{ available: '-0.01' }, { locked: '-0.01' }, { available: knex.raw('available - (available + 0.01)') }]) {
      const error = await refused(knex('accounts').where({ id: cashAccount }).update(change));
      expect({ code: error.code, constraint: error.constraint }).toEqual({ code: '23514', constraint: 'accounts_non_negative' });
    }
    const holdingAccount = await accountId(seller.id, 'CARBON-2024');
    const error = await refused(knex('accounts').where({ id: holdingAccount }).update({ locked: knex.raw('locked - 31') }));
    expect({ code: error.code, constraint: error.constraint }).toEqual({ code: '23514', constraint: 'accounts_non_negative' });
    expect(await snapshot()).toEqual(before);
  });

  it('only system accounts go negative, and they never lock anything', async () => {
    const bank = await systemAccountId('bank', 'CNY');
    expect((await knex('accounts').where({ id: bank }).first<{ available: string }>(knex.raw('available::numeric(30, 2)::text AS available')))!.available).toBe('-10000.00');
    const error = await refused(knex('accounts').where({ id: bank }).update({ locked: '0.01' }));
    expect({ code: error.code, constraint: error.constraint }).toEqual({ code: '23514', constraint: 'accounts_system_unlocked' });
  });
});

describe('double entry', () => {
  const transferWith = (lines: (transferId: string) => Array<{ account_id: string; asset: string; amount: string }>, statements = 1) =>
    knex.transaction(async (trx) => {
      const [t] = await trx('journal_transfers').insert({ kind: 'deposit', reference: 'test:unbalanced' }).returning<Array<{ id: string }>>('id');
      const rows = lines(t!.id).map((l) => ({ ...l, transfer_id: t!.id }));
      if (statements === 1) await trx('postings').insert(rows);
      else for (const row of rows) await trx('postings').insert(row);
      return t!.id;
    });

  it('refuses postings that do not sum to zero per asset, in one statement or across statements', async () => {
    const before = await snapshot();
    const transfersBefore = await count(tp, 'journal_transfers');
    const account = await accountId(buyer.id, 'CNY');
    const bank = await systemAccountId('bank', 'CNY');
    const issuance = await systemAccountId('issuance', 'CARBON-2024');
    const cases = [
      // one fen short
      () => [
        { account_id: account, asset: 'CNY', amount: '100.00' },
        { account_id: bank, asset: 'CNY', amount: '-99.99' },
      ],
      // a single posting
      () => [{ account_id: account, asset: 'CNY', amount: '0.01' }],
      // zero in total but across two assets
      () => [
        { account_id: account, asset: 'CNY', amount: '5' },
        { account_id: issuance, asset: 'CARBON-2024', amount: '-5' },
      ],
    ];
    for (const lines of cases) {
      const error = await refused(transferWith(lines));
      expect(error.code).toBe('23514');
      expect(error.message).toMatch(/does not balance/);
    }
    // Balanced line by line? The first statement alone leaves the transfer unbalanced.
    const split = await refused(
      transferWith(
        () => [
          { account_id: account, asset: 'CNY', amount: '1.00' },
          { account_id: bank, asset: 'CNY', amount: '-1.00' },
        ],
        2,
      ),
    );
    expect(split.message).toMatch(/does not balance/);
    // A posting of zero says nothing and is refused too.
    const zero = await refused(transferWith(() => [{ account_id: account, asset: 'CNY', amount: '0' }]));
    expect({ code: zero.code, constraint: zero.constraint }).toEqual({ code: '23514', constraint: 'postings_non_zero' });

    expect(await count(tp, 'journal_transfers')).toBe(transfersBefore);
    expect(await snapshot()).toEqual(before);
  });

  it('accepts the same transfer when it balances (so the refusals above are about balance)', async () => {
    const account = await accountId(buyer.id, 'CNY');
    const bank = await systemAccountId('bank', 'CNY');
    const postingsBefore = await count(tp, 'postings');
    // Inserted, then rolled back: the ledger must stay as the application left it.
    const outcome = await knex
      .transaction(async (trx) => {
        const [t] = await trx('journal_transfers').insert({ kind: 'deposit', reference: 'test:balanced' }).returning<Array<{ id: string }>>('id');
        await trx('postings').insert([
          { transfer_id: t!.id, account_id: account, asset: 'CNY', amount: '100.00' },
          { transfer_id: t!.id, account_id: bank, asset: 'CNY', amount: '-100.00' },
        ]);
        throw new Error('roll back');
      })
      .catch((error: Error) => error.message);
    expect(outcome).toBe('roll back');
    expect(await count(tp, 'postings')).toBe(postingsBefore);
  });
});

describe('append-only tables', () => {
  it.each(['postings', 'journal_transfers', 'audit_log', 'lots'])('%s refuses UPDATE and DELETE', async (table) => {
    const rowsBefore = await count(tp, table);
    expect(rowsBefore).toBeGreaterThan(0);
    const key = table === 'audit_log' ? 'seq' : 'id';
    const first = await knex(table).orderBy(key).first(key);
    const column = table === 'audit_log' ? 'actor' : table === 'journal_transfers' ? 'reference' : table === 'lots' ? 'region' : 'asset';
    for (const statement of [knex(table).where(key, first[key]).update({ [column]: 'tampered' }), knex(table).where(key, first[key]).delete()]) {
      const error = await refused(statement);
      expect({ code: error.code, message: error.message }).toEqual({ code: '42501', message: expect.stringContaining(`${table} is append-only`) });
    }
    expect(await count(tp, table)).toBe(rowsBefore);
    expect(await count(tp, table, `${column} = 'tampered'`)).toBe(0);
  });
});

describe('settlement', () => {
  it('a trade has at most one settlements row', async () => {
    const settled = await settleTrade(knex, firstTrade);
    expect(settled.outcome).toBe('settled');
    const row = await knex('settlements').where({ trade_id: firstTrade }).first<{ transfer_id: string }>('transfer_id');
    const error = await refused(knex('settlements').insert({ trade_id: firstTrade, transfer_id: row!.transfer_id, certificate_no: 'ERX-DUPLICATE' }));
    expect({ code: error.code, constraint: error.constraint }).toEqual({ code: '23505', constraint: 'settlements_pkey' });
    expect(await count(tp, 'settlements', `trade_id = ${firstTrade}`)).toBe(1);
    // 10 × 62.00 paid; the second trade (20 × 61.00 = 1,220.00) is still locked.
    expect(await cash(tp, buyer.token)).toEqual(['8160.00', '1220.00']);
    expect(await cash(tp, seller.token)).toEqual(['620.00', '0.00']);
  });

  it('settleTrade run several times at once on the same trade takes effect once', async () => {
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => settleTrade(knex, secondTrade)));
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already_settled', 'already_settled', 'already_settled', 'already_settled', 'settled']);
    expect((await settleTrade(knex, secondTrade)).outcome).toBe('already_settled');
    expect((await settleTrade(knex, '999999999')).outcome).toBe('unknown_trade');

    expect(await count(tp, 'settlements', `trade_id = ${secondTrade}`)).toBe(1);
    expect(await count(tp, 'journal_transfers', `trade_id = ${secondTrade} AND kind = 'settlement'`)).toBe(1);
    // Moved exactly once: 20 × 61.00 = 1,220.00 and 20 t.
    expect(await cash(tp, buyer.token)).toEqual(['8160.00', '0.00']);
    expect(await holding(tp, buyer.token, 'CARBON-2024')).toEqual(['30', '0']);
    expect(await cash(tp, seller.token)).toEqual(['1840.00', '0.00']);
    expect(await holding(tp, seller.token, 'CARBON-2024')).toEqual(['70', '0']);
    await expectLedgerReconciles(tp);
  });
});
