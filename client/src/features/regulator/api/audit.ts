import { useMutation, useQuery } from '@tanstack/react-query';
import { apiRequest, downloadFile } from '../../../shared/api/client.ts';
import { queryKeys } from '../../../shared/api/query-keys.ts';
import { beijingDateDigits } from '../../../shared/format/number.ts';
import type { AuditEntry } from '../../../../../contract/regulator.ts';

export interface AuditFilters {
  actor: string;
  action: string;
  /** What the action was about, e.g. "instrument:FARMLAND-QTY" or "participant:3". */
  subject: string;
  from: string;
  to: string;
}

export const AUDIT_LIMIT = 200;

/** datetime-local values are Beijing time; the server gets ISO instants. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(`${local}:00+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function toQuery(f: AuditFilters) {
  return { actor: f.actor.trim(), action: f.action.trim(), subject: f.subject.trim(), from: toIso(f.from), to: toIso(f.to) };
}

export const getAudit = (filters: AuditFilters): Promise<AuditEntry[]> =>
  apiRequest<AuditEntry[]>('/api/regulator/audit', { query: { ...toQuery(filters), limit: AUDIT_LIMIT } });

export function useAudit(filters: AuditFilters) {
  return useQuery({ queryKey: queryKeys.audit({ ...filters }), queryFn: () => getAudit(filters) });
}

export const exportAuditCsv = (filters: AuditFilters): Promise<void> =>
  downloadFile('/api/regulator/audit', `audit-log-${beijingDateDigits()}.csv`, { ...toQuery(filters), format: 'csv' });

export function useExportAudit() {
  return useMutation({ mutationFn: exportAuditCsv });
}
