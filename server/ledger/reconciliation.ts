import type { Knex } from 'knex';
import { LOCK_SOURCES_SQL } from './lock-sources.ts';
import type { ReconciliationCheckId } from '../../contract/regulator.ts';

export interface ReconciliationCheck {
  /** Stable: screens name the check by it in the reader's language. */
  id: ReconciliationCheckId;
  name: string;
  ok: boolean;
  /** Figures behind the verdict: totals checked and every mismatch found (capped). */
  details: Record<string, unknown>;
}

export interface ReconciliationReport {
  ok: boolean;
  checkedAt: string;
  checks: ReconciliationCheck[];
}

const CAP = 20;

/**
 * Proves the ledger from first principles: double entry balances, balances equal their postings,
 * every lock is explained by an open order or an unsettled trade, and every trade is settled
 * at most once (and, when settled, exactly once).
 */
export async function reconcile(knex: Knex): Promise<ReconciliationReport> {
  const checks: ReconciliationCheck[] = [];

  const sums = await knex.raw<{ rows: Array<{ asset: string; total: string; postings: string; unbalanced: boolean }> }>(
    `SELECT asset, sum(amount)::text AS total, count(*)::text AS postings, sum(amount) <> 0 AS unbalanced FROM postings GROUP BY asset ORDER BY asset`,
  );
  const unbalanced = sums.rows.filter((r) => r.unbalanced).map(({ asset, total }) => ({ asset, total }));
  checks.push({
    id: 'postings_balance',
    name: 'postings sum to zero per asset',
    ok: unbalanced.length === 0,
    details: { assets: sums.rows.length, postings: sums.rows.reduce((n, r) => n + Number(r.postings), 0), unbalanced: unbalanced.slice(0, CAP) },
  });

  const balanceMismatch = await knex.raw<{ rows: Array<{ account_id: string; balance: string; postings: string }> }>(
    `SELECT a.id AS account_id, (a.available + a.locked)::text AS balance, coalesce(p.total, 0)::text AS postings
       FROM accounts a LEFT JOIN (SELECT account_id, sum(amount) AS total FROM postings GROUP BY account_id) p ON p.account_id = a.id
      WHERE a.available + a.locked <> coalesce(p.total, 0)
      LIMIT ${CAP}`,
  );
  const accountCount = await knex('accounts').count<Array<{ count: string }>>('* as count');
  checks.push({
    id: 'account_balances',
    name: 'each account balance equals the sum of its postings',
    ok: balanceMismatch.rows.length === 0,
    details: { accounts: Number(accountCount[0]!.count), mismatches: balanceMismatch.rows },
  });

  // The unique index keeps new ones out; this finds credits made before it existed.
  const repeatedReferences = await knex.raw<{ rows: Array<{ kind: string; reference: string; transfers: string }> }>(
    `SELECT kind, reference, count(*)::text AS transfers FROM journal_transfers
      WHERE kind IN ('deposit', 'withdrawal') GROUP BY kind, reference HAVING count(*) > 1 ORDER BY kind, reference LIMIT ${CAP}`,
  );
  checks.push({
    id: 'bank_references',
    name: 'each bank reference moved cash once',
    ok: repeatedReferences.rows.length === 0,
    details: { repeated: repeatedReferences.rows },
  });

  const lockMismatch = await knex.raw<{ rows: Array<{ participant_id: string; asset: string; locked: string; explained: string }> }>(
    `WITH expected AS (${LOCK_SOURCES_SQL}
     ), explained AS (SELECT participant_id, asset, sum(amount) AS amount FROM expected GROUP BY 1, 2)
     SELECT a.participant_id, a.asset, a.locked::text AS locked, coalesce(e.amount, 0)::text AS explained
       FROM accounts a FULL JOIN explained e ON e.participant_id = a.participant_id AND e.asset = a.asset
      WHERE (a.participant_id IS NOT NULL OR e.participant_id IS NOT NULL)
        AND coalesce(a.locked, 0) <> coalesce(e.amount, 0)
      LIMIT ${CAP}`,
  );
  checks.push({
    id: 'locks_explained',
    name: 'locked cash and quantity equal what open orders, reservations and unsettled trades hold',
    ok: lockMismatch.rows.length === 0,
    details: { mismatches: lockMismatch.rows },
  });

  const settlementMismatch = await knex.raw<{ rows: Array<{ trade_id: string; status: string; settlements: string; transfers: string }> }>(
    // Counted per trade once, then joined: journal_transfers has no index on trade_id (only this
    // check reads it that way), and a count per trade row scanned the whole table for each trade.
    `WITH s AS (SELECT trade_id, count(*) AS n FROM settlements GROUP BY trade_id),
          j AS (SELECT trade_id, count(*) AS n FROM journal_transfers WHERE kind = 'settlement' AND trade_id IS NOT NULL GROUP BY trade_id)
     SELECT t.id AS trade_id, t.status, coalesce(s.n, 0)::text AS settlements, coalesce(j.n, 0)::text AS transfers
       FROM trades t LEFT JOIN s ON s.trade_id = t.id LEFT JOIN j ON j.trade_id = t.id
      WHERE (t.status = 'settled') <> (s.trade_id IS NOT NULL)
         OR coalesce(j.n, 0) > 1
         OR (t.status = 'settled' AND j.trade_id IS NULL)
      LIMIT ${CAP}`,
  );
  const tradeCounts = await knex.raw<{ rows: Array<{ trades: string; settled: string; pending: string }> }>(
    `SELECT count(*)::text AS trades, count(*) FILTER (WHERE status = 'settled')::text AS settled, count(*) FILTER (WHERE status = 'pending')::text AS pending FROM trades`,
  );
  checks.push({
    id: 'settled_once',
    name: 'every settled trade is settled exactly once',
    ok: settlementMismatch.rows.length === 0,
    details: { ...tradeCounts.rows[0], mismatches: settlementMismatch.rows },
  });

  const holdingMismatch = await knex.raw<{ rows: Array<{ participant_id: string; symbol: string; balance: string; in_lots: string }> }>(
    `WITH held AS (SELECT participant_id, symbol, sum(quantity) AS quantity FROM lot_holdings GROUP BY 1, 2),
          bal AS (SELECT a.participant_id, a.asset AS symbol, a.available + a.locked AS quantity
                    FROM accounts a JOIN instruments i ON i.symbol = a.asset WHERE a.participant_id IS NOT NULL)
     SELECT coalesce(b.participant_id, h.participant_id) AS participant_id, coalesce(b.symbol, h.symbol) AS symbol,
            coalesce(b.quantity, 0)::text AS balance, coalesce(h.quantity, 0)::text AS in_lots
       FROM bal b FULL JOIN held h ON h.participant_id = b.participant_id AND h.symbol = b.symbol
      WHERE coalesce(b.quantity, 0) <> coalesce(h.quantity, 0)
      LIMIT ${CAP}`,
  );
  const lotMismatch = await knex.raw<{ rows: Array<{ lot_id: string; quantity: string; accounted: string }> }>(
    `SELECT l.id AS lot_id, l.quantity::text AS quantity,
            (coalesce((SELECT sum(quantity) FROM lot_holdings h WHERE h.lot_id = l.id), 0)
             + coalesce((SELECT sum(quantity) FROM lot_movements m WHERE m.lot_id = l.id AND m.kind IN ('use', 'retire', 'revoke')), 0))::text AS accounted
       FROM lots l
      WHERE l.quantity <> coalesce((SELECT sum(quantity) FROM lot_holdings h WHERE h.lot_id = l.id), 0)
                          + coalesce((SELECT sum(quantity) FROM lot_movements m WHERE m.lot_id = l.id AND m.kind IN ('use', 'retire', 'revoke')), 0)
      LIMIT ${CAP}`,
  );
  const lotCount = await knex('lots').count<Array<{ count: string }>>('* as count');
  checks.push({
    id: 'lot_holdings',
    name: 'indicator holdings equal lot allocations',
    ok: holdingMismatch.rows.length === 0 && lotMismatch.rows.length === 0,
    details: { lots: Number(lotCount[0]!.count), holderMismatches: holdingMismatch.rows, lotMismatches: lotMismatch.rows },
  });

  return { ok: checks.every((c) => c.ok), checkedAt: new Date().toISOString(), checks };
}
