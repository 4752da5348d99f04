import type { AuditEntry } from '../audit/audit-log.ts';
import type { Actor, SystemActor } from './commands.ts';

/**
 * The audit row a command leaves on the engine's chain. Every row of a batch carries the batch's
 * clock, so a replayed chain orders them exactly as the books saw the commands.
 */
export function auditEntry(actor: Actor | SystemActor, action: string, subject: string, payload: Record<string, unknown>, at: Date): AuditEntry {
  return { actorUserId: actor.userId, actor: actor.username, action, subject, payload, at };
}
