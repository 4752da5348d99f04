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
  at: Date;
  actor_user_id: string | null;
  actor: string;
  action: string;
  subject: string;
  payload: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

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

export function auditHash(prevHash: string, row: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  const body = canonicalJson({
    seq: String(row.seq),
    at: row.at.toISOString(),
    actorUserId: row.actor_user_id === null ? null : String(row.actor_user_id),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    payload: row.payload,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

// One lock orders every writer of the chain; it is held only until the writer's transaction ends.
const AUDIT_LOCK_KEY = 7_402_118_001;

/**
 * Appends entries to the hash-chained audit log inside the caller's transaction, so an action and
 * its audit record commit or vanish together.
 */
export async function appendAudit(trx: Knex.Transaction, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await trx.raw('SELECT pg_advisory_xact_lock(?)', [AUDIT_LOCK_KEY]);
  const last = await trx('audit_log').select('seq', 'hash').orderBy('seq', 'desc').first<{ seq: string; hash: string } | undefined>();
  let seq = last ? BigInt(last.seq) : 0n;
  let prev = last?.hash ?? GENESIS_HASH;
  const rows: AuditRow[] = [];
  for (const entry of entries) {
    seq += 1n;
    // Millisecond precision: what PostgreSQL stores must read back as the same ISO string.
    const at = new Date((entry.at ?? new Date()).getTime());
    const base = {
      seq: seq.toString(),
      at,
      actor_user_id: entry.actorUserId,
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      payload: entry.payload,
    };
    const hash = auditHash(prev, base);
    rows.push({ ...base, prev_hash: prev, hash });
    prev = hash;
  }
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

/** Recomputes the whole chain; reports the first row whose link or content does not match. */
export async function verifyAuditChain(knex: Knex, pageSize = 5000): Promise<ChainVerification> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1n;
  let checked = 0;
  let after = '0';
  for (;;) {
    const rows = await knex('audit_log').where('seq', '>', after).orderBy('seq').limit(pageSize).select<AuditRow[]>('*');
    if (rows.length === 0) break;
    for (const row of rows) {
      const broken = (reason: string): ChainVerification => ({ ok: false, rowsChecked: checked, firstBrokenSeq: String(row.seq), reason });
      if (BigInt(row.seq) !== expectedSeq) return broken(`expected seq ${expectedSeq}, found ${row.seq}`);
      if (row.prev_hash !== prev) return broken('prev_hash does not match the previous row');
      if (auditHash(prev, row) !== row.hash) return broken('row content does not match its hash');
      prev = row.hash;
      expectedSeq += 1n;
      checked += 1;
      after = String(row.seq);
    }
  }
  return { ok: true, rowsChecked: checked, firstBrokenSeq: null, reason: null };
}
