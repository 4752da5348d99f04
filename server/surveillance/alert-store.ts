import type { Knex } from 'knex';
import { appendAudit } from '../audit/audit-log.ts';
import { conflict, notFound } from '../errors.ts';
import type { AlertView } from '../market/market-bus.ts';
import type { AlertDraft, AlertStatus, RuleName, Severity } from './types.ts';

export interface AlertRow {
  id: string;
  rule: RuleName;
  severity: Severity;
  symbol: string;
  participant_ids: string[];
  message: string;
  details: Record<string, unknown>;
  dedupe_key: string;
  status: AlertStatus;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledgement_note: string | null;
}

/** An alert as the regulator API returns it: the live view plus who acknowledged it. */
export interface AlertRecord extends AlertView {
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgementNote: string | null;
}

/**
 * The names of the participants alerts name, read when the alert is shown: a regulator reads
 * 鹰潭城投集团有限公司, not "participant 7", in any language.
 */
export async function participantNamesOf(knex: Knex, rows: ReadonlyArray<Pick<AlertRow, 'participant_ids'>>): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((r) => r.participant_ids.map(String)))];
  if (ids.length === 0) return new Map();
  const found = await knex('participants').whereIn('id', ids).select<Array<{ id: string; name: string }>>('id', 'name');
  return new Map(found.map((p) => [String(p.id), p.name]));
}

export function alertView(row: AlertRow, names: ReadonlyMap<string, string>): AlertView {
  const participantIds = row.participant_ids.map(String);
  return {
    id: String(row.id),
    rule: row.rule,
    severity: row.severity,
    symbol: row.symbol,
    participantIds,
    participants: participantIds.map((id) => ({ id, name: names.get(id) ?? null })),
    message: row.message,
    details: row.details,
    createdAt: row.created_at.toISOString(),
    status: row.status,
  };
}

export function alertRecord(row: AlertRow & { acknowledged_by_username?: string | null }, names: ReadonlyMap<string, string>): AlertRecord {
  return {
    ...alertView(row, names),
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: row.acknowledged_by_username ?? null,
    acknowledgementNote: row.acknowledgement_note,
  };
}

/**
 * Stores new findings; a finding whose dedupe key is already stored (raised before a restart, or
 * by a replay) is skipped. Returns only the alerts actually inserted, in draft order.
 */
export async function insertAlerts(knex: Knex, drafts: AlertDraft[], createdAt: Date): Promise<AlertView[]> {
  const rows: AlertRow[] = [];
  for (let i = 0; i < drafts.length; i += 500) rows.push(...(await insertChunk(knex, drafts.slice(i, i + 500), createdAt)));
  const order = new Map(drafts.map((d, i) => [d.dedupeKey, i]));
  const names = await participantNamesOf(knex, rows);
  return rows.sort((a, b) => order.get(a.dedupe_key)! - order.get(b.dedupe_key)!).map((row) => alertView(row, names));
}

async function insertChunk(knex: Knex, drafts: AlertDraft[], createdAt: Date): Promise<AlertRow[]> {
  if (drafts.length === 0) return [];
  return knex('alerts')
    .insert(
      drafts.map((d) => ({
        rule: d.rule,
        severity: d.severity,
        symbol: d.symbol,
        participant_ids: d.participantIds,
        message: d.message,
        details: JSON.stringify(d.details),
        dedupe_key: d.dedupeKey,
        status: 'open',
        created_at: createdAt,
      })),
    )
    .onConflict('dedupe_key')
    .ignore()
    .returning<AlertRow[]>('*');
}

export interface AlertFilter {
  status?: AlertStatus;
  rule?: RuleName;
  symbol?: string;
  participantId?: string;
  /** Only alerts with a smaller id (paging back from the newest). */
  before?: string;
  limit: number;
}

export async function listAlerts(knex: Knex, filter: AlertFilter): Promise<AlertRecord[]> {
  const query = knex('alerts as a').leftJoin('users as u', 'u.id', 'a.acknowledged_by').orderBy('a.id', 'desc').limit(filter.limit);
  if (filter.status) query.where('a.status', filter.status);
  if (filter.rule) query.where('a.rule', filter.rule);
  if (filter.symbol) query.where('a.symbol', filter.symbol);
  if (filter.participantId) query.whereRaw('? = ANY(a.participant_ids)', [filter.participantId]);
  if (filter.before) query.where('a.id', '<', filter.before);
  const rows = await query.select<Array<AlertRow & { acknowledged_by_username: string | null }>>('a.*', 'u.username as acknowledged_by_username');
  const names = await participantNamesOf(knex, rows);
  return rows.map((row) => alertRecord(row, names));
}

export type Acknowledgement = { ok: true; alert: AlertRow } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'already_acknowledged'; alert: AlertRow };

/** Marks an open alert acknowledged in the caller's transaction; an alert is acknowledged once. */
export async function acknowledgeAlert(trx: Knex.Transaction, id: string, userId: string, note: string, at: Date): Promise<Acknowledgement> {
  const [updated] = await trx('alerts')
    .where({ id, status: 'open' })
    .update({ status: 'acknowledged', acknowledged_at: at, acknowledged_by: userId, acknowledgement_note: note })
    .returning<AlertRow[]>('*');
  if (updated) return { ok: true, alert: updated };
  const existing = await trx('alerts').where({ id }).first<AlertRow | undefined>('*');
  return existing ? { ok: false, reason: 'already_acknowledged', alert: existing } : { ok: false, reason: 'not_found' };
}

/**
 * The regulator's acknowledgement: the alert marked and the audit row appended in one
 * transaction, refused with ALERT_NOT_FOUND or ALERT_ALREADY_ACKNOWLEDGED.
 */
export async function acknowledgeAlertAudited(knex: Knex, id: string, actor: { id: string; username: string }, note: string, at: Date): Promise<AlertRow> {
  return knex.transaction(async (trx) => {
    const result = await acknowledgeAlert(trx, id, actor.id, note, at);
    if (!result.ok && result.reason === 'not_found') throw notFound('ALERT_NOT_FOUND', `no alert ${id}`);
    if (!result.ok) {
      throw conflict('ALERT_ALREADY_ACKNOWLEDGED', `alert ${id} was already acknowledged at ${result.alert.acknowledged_at?.toISOString() ?? 'an earlier time'}`);
    }
    await appendAudit(trx, [
      {
        actorUserId: actor.id,
        actor: actor.username,
        action: 'alert.acknowledge',
        subject: `alert:${id}`,
        payload: { rule: result.alert.rule, symbol: result.alert.symbol, severity: result.alert.severity, note },
        at,
      },
    ]);
    return result.alert;
  });
}
