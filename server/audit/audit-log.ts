import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

export interface AuditEntry {
  actorUserId: string | null;
  actor: string;
  action: string;
  subject: string;
  payload: Record<string, unknown>;
  at?: Date;
}

export interface AuditRow {
  seq: string;
  chain: string;
  chain_seq: string;
  at: Date;
  actor_user_id: string | null;
  actor: string;
  action: string;
  subject: string;
  payload: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** A new row as a writer builds it; `seq` (global order) is assigned by PostgreSQL on insert. */
export type NewAuditRow = Omit<AuditRow, 'seq'>;

export interface ChainHead {
  chainSeq: bigint;
  hash: string;
}

/**
 * Each writer appends to its own chain: 'main' under an advisory lock, 'engine' from the engine
 * host's memory. A chain starts from a genesis hash of its own, so no row can move between
 * chains unnoticed.
 */
export function genesisHash(chain: string): string {
  return chain === 'main' ? '0'.repeat(64) : createHash('sha256').update(`ecorights-audit-chain:${chain}`).digest('hex');
}

/** JSON with object keys sorted at every depth, so the same row always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditHash(prevHash: string, row: Pick<AuditRow, 'chain_seq' | 'at' | 'actor_user_id' | 'actor' | 'action' | 'subject' | 'payload'>): string {
  const body = canonicalJson({
    seq: String(row.chain_seq),
    at: row.at.toISOString(),
    actorUserId: row.actor_user_id === null ? null : String(row.actor_user_id),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    payload: row.payload,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/** Links entries onto a chain whose last row is `head`; returns the rows and the new head. */
export function chainAuditRows(chain: string, head: ChainHead | null, entries: AuditEntry[]): { rows: NewAuditRow[]; head: ChainHead | null } {
  let chainSeq = head?.chainSeq ?? 0n;
  let prev = head?.hash ?? genesisHash(chain);
  const rows: NewAuditRow[] = [];
  for (const entry of entries) {
    chainSeq += 1n;
    // Millisecond precision: what PostgreSQL stores must read back as the same ISO string.
    const at = new Date((entry.at ?? new Date()).getTime());
    const base = { chain, chain_seq: chainSeq.toString(), at, actor_user_id: entry.actorUserId, actor: entry.actor, action: entry.action, subject: entry.subject, payload: entry.payload };
    const hash = auditHash(prev, base);
    rows.push({ ...base, prev_hash: prev, hash });
    prev = hash;
  }
  return { rows, head: rows.length > 0 ? { chainSeq, hash: prev } : head };
}

export async function readChainHead(knex: Knex, chain: string): Promise<ChainHead | null> {
  const last = await knex('audit_log').where({ chain }).orderBy('chain_seq', 'desc').first<{ chain_seq: string; hash: string } | undefined>('chain_seq', 'hash');
  return last ? { chainSeq: BigInt(last.chain_seq), hash: last.hash } : null;
}

// One lock orders every writer of the 'main' chain; it is held only until the writer's transaction ends.
const AUDIT_LOCK_KEY = 7_402_118_001;

/**
 * Appends entries to the 'main' hash chain inside the caller's transaction, so an action and its
 * audit record commit or vanish together.
 */
export async function appendAudit(trx: Knex.Transaction, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await trx.raw('SELECT pg_advisory_xact_lock(?)', [AUDIT_LOCK_KEY]);
  const { rows } = chainAuditRows('main', await readChainHead(trx, 'main'), entries);
  for (let i = 0; i < rows.length; i += 2000) {
    await trx('audit_log').insert(rows.slice(i, i + 2000).map((r) => ({ ...r, payload: JSON.stringify(r.payload) })));
  }
}

export interface ChainVerification {
  ok: boolean;
  rowsChecked: number;
  firstBrokenSeq: string | null;
  reason: string | null;
}

/** Recomputes every chain; reports the earliest row (by seq) whose link or content does not match. */
export async function verifyAuditChain(knex: Knex, pageSize = 5000): Promise<ChainVerification> {
  const chains = (await knex('audit_log').distinct('chain').pluck('chain')) as string[];
  let checked = 0;
  const found: { broken: { seq: bigint; reason: string } | null } = { broken: null };
  for (const chain of chains) {
    let prev = genesisHash(chain);
    let expected = 1n;
    let after = '0';
    scan: for (;;) {
      const rows = await knex('audit_log').where({ chain }).where('chain_seq', '>', after).orderBy('chain_seq').limit(pageSize).select<AuditRow[]>('*');
      if (rows.length === 0) break;
      for (const row of rows) {
        const fail = (reason: string) => {
          if (!found.broken || BigInt(row.seq) < found.broken.seq) found.broken = { seq: BigInt(row.seq), reason: `${chain} chain: ${reason}` };
        };
        if (BigInt(row.chain_seq) !== expected) fail(`expected position ${expected}, found ${row.chain_seq}`);
        else if (row.prev_hash !== prev) fail('prev_hash does not match the previous row');
        else if (auditHash(prev, row) !== row.hash) fail('row content does not match its hash');
        if (found.broken?.seq === BigInt(row.seq)) break scan;
        checked += 1;
        prev = row.hash;
        expected += 1n;
        after = String(row.chain_seq);
      }
    }
  }
  const b = found.broken;
  return { ok: b === null, rowsChecked: checked, firstBrokenSeq: b ? b.seq.toString() : null, reason: b ? b.reason : null };
}
