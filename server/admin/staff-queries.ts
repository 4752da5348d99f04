import type { Knex } from 'knex';
import { appendAudit } from '../audit/audit-log.ts';
import { createStaffUser } from './participants.ts';

export type { StaffUser as StaffView } from '../../contract/staff-admin.ts';
import type { StaffRole, StaffUser as StaffView } from '../../contract/staff-admin.ts';

interface StaffRow {
  id: string;
  username: string;
  role: StaffRole;
  created_at: Date;
  disabled_at: Date | null;
  must_change_password: boolean;
}

const view = (r: StaffRow): StaffView => ({ id: r.id, username: r.username, role: r.role, createdAt: r.created_at.toISOString(), disabled: r.disabled_at !== null, mustChangePassword: r.must_change_password });
const COLUMNS = ['id', 'username', 'role', 'created_at', 'disabled_at', 'must_change_password'];

export async function listStaff(db: Knex | Knex.Transaction): Promise<StaffView[]> {
  return (await db('users').whereIn('role', ['operator', 'regulator']).orderBy('id').select<StaffRow[]>(COLUMNS)).map(view);
}

/** Creates the account and its audit entry in one transaction; a taken name fails on the unique key. */
export async function createStaffAccount(
  knex: Knex,
  actor: { id: string; username: string },
  input: { username: string; password: string; role: 'operator' | 'regulator' },
): Promise<StaffView> {
  return knex.transaction(async (trx) => {
    const { id } = await createStaffUser(trx, input.username, input.password, input.role);
    await appendAudit(trx, [{ actorUserId: actor.id, actor: actor.username, action: 'staff.create', subject: `user:${id}`, payload: { username: input.username, role: input.role } }]);
    return view(await trx('users').where({ id }).first<StaffRow>(COLUMNS));
  });
}
