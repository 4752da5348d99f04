import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import { conflict, forbidden, notFound, unprocessable } from '../errors.ts';
import type { EngineHost } from '../engine/engine-host.ts';
import type { Actor } from '../engine/commands.ts';
import { CASH } from '../engine/assets.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { hashNewPassword } from '../auth/password-policy.ts';
import { revokeUserSessions } from '../auth/session-store.ts';
import type { MarketBus } from '../market/market-bus.ts';
import { prefectureOf } from '../admin/participants.ts';
import type { MarketClock } from '../sessions/market-clock.ts';
import { creditCodeProblem } from './credit-code.ts';
import { sameUsername } from '../shared/usernames.ts';

declare module '../platform.ts' {
  interface Platform {
    onboarding: OnboardingService;
  }
}

export type ParticipantRole = 'admin' | 'trader' | 'viewer';

/** What else must follow a suspension: listings withdrawn, block proposals ended. */
export interface SuspensionFollower {
  participantSuspended(participantId: string, actor: Actor): Promise<void>;
}

export interface OnboardingServiceOptions {
  knex: Knex;
  engine: EngineHost;
  bus: MarketBus;
  clock: MarketClock;
  log: FastifyBaseLogger;
  followers: SuspensionFollower[];
}

export interface ApplicationInput {
  legalName: string;
  creditCode: string;
  kind: 'government' | 'enterprise';
  region: string;
  prefecture: string | null;
  contact: { name: string; phone: string; email: string | null };
  username: string;
  password: string;
}

interface ApplicationRow {
  id: string;
  legal_name: string;
  credit_code: string;
  kind: 'government' | 'enterprise';
  region: string;
  prefecture: string;
  contact_name: string;
  contact_phone: string;
  contact_email: string | null;
  username: string;
  password_hash: string;
  status: 'pending' | 'approved' | 'rejected';
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  participant_id: string | null;
  created_at: Date;
}

// The shapes the routes send are the contract's; the service builds them directly.
export type { ApplicationView, ParticipantDetail as ParticipantDetailView, UserView as ParticipantUserView } from '../../contract/onboarding.ts';
import type { ApplicationView, ParticipantDetail as ParticipantDetailView, UserView as ParticipantUserView } from '../../contract/onboarding.ts';

const applicationView = (r: ApplicationRow): ApplicationView => ({
  id: r.id,
  legalName: r.legal_name,
  creditCode: r.credit_code,
  kind: r.kind,
  region: r.region,
  prefecture: r.prefecture,
  contact: { name: r.contact_name, phone: r.contact_phone, email: r.contact_email },
  username: r.username,
  status: r.status,
  decisionReason: r.decision_reason,
  decidedAt: r.decided_at?.toISOString() ?? null,
  participantId: r.participant_id,
  createdAt: r.created_at.toISOString(),
});

/**
 * Admission of legal persons and the life of a participant after it: applications checked and
 * decided by the operator, users with roles inside the participant, suspension and reinstatement.
 * Suspension runs through the engine host, which cancels the participant's open orders and
 * releases its reservations in one batch and refuses it from then on.
 */
export class OnboardingService {
  constructor(private readonly o: OnboardingServiceOptions) {}

  async apply(actor: Actor, input: ApplicationInput): Promise<ApplicationView> {
    const { knex, clock } = this.o;
    const code = input.creditCode.trim();
    const problem = creditCodeProblem(code);
    if (problem) throw unprocessable('INVALID_CREDIT_CODE', problem);
    const passwordHash = await hashNewPassword(input.username, input.password);
    return knex.transaction(async (trx) => {
      // One decision at a time per code and name: concurrent applications queue here.
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`application:${code}`]);
      if (await trx('participants').where({ credit_code: code }).orWhere({ name: input.legalName }).first('id')) {
        throw conflict('ALREADY_A_PARTICIPANT', `${input.legalName} (${code}) is already a participant`);
      }
      if (await trx('participant_applications').where({ credit_code: code }).whereNot({ status: 'rejected' }).first('id')) {
        throw conflict('APPLICATION_EXISTS', `an application for ${code} is already pending or approved`);
      }
      if ((await trx('users').where(sameUsername(input.username)).first('id')) || (await trx('participant_applications').where(sameUsername(input.username)).where({ status: 'pending' }).first('id'))) {
        throw conflict('DUPLICATE_USERNAME', `username ${input.username} is taken`);
      }
      const now = clock.now();
      const [row] = await trx('participant_applications')
        .insert({
          legal_name: input.legalName,
          credit_code: code,
          kind: input.kind,
          region: input.region,
          prefecture: input.prefecture ?? prefectureOf(input.region),
          contact_name: input.contact.name,
          contact_phone: input.contact.phone,
          contact_email: input.contact.email,
          username: input.username,
          password_hash: passwordHash,
          created_at: now,
        })
        .returning<ApplicationRow[]>('*');
      await appendAudit(trx, [
        {
          actorUserId: actor.userId,
          actor: actor.username,
          action: 'participant.apply',
          subject: `application:${row!.id}`,
          payload: { legalName: input.legalName, creditCode: code, kind: input.kind, region: input.region, username: input.username },
          at: now,
        },
      ]);
      return applicationView(row!);
    });
  }

  async applications(status: ApplicationRow['status'] | null, limit: number): Promise<ApplicationView[]> {
    const q = this.o.knex('participant_applications').orderBy('id', 'desc').limit(limit);
    if (status) q.where({ status });
    return (await q.select<ApplicationRow[]>('*')).map(applicationView);
  }

  async application(id: string): Promise<ApplicationView> {
    const row = await this.o.knex('participant_applications').where({ id }).first<ApplicationRow | undefined>();
    if (!row) throw notFound('APPLICATION_NOT_FOUND', `no application ${id}`);
    return applicationView(row);
  }

  /** Admits the applicant: the participant, its cash account and its first user (participant admin). */
  async approve(actor: Actor, id: string, note: string | null): Promise<{ application: ApplicationView; participant: ParticipantDetailView; user: ParticipantUserView }> {
    const { knex, clock } = this.o;
    return knex.transaction(async (trx) => {
      const app = await this.pending(trx, id);
      if (await trx('participants').where({ credit_code: app.credit_code }).orWhere({ name: app.legal_name }).first('id')) {
        throw conflict('ALREADY_A_PARTICIPANT', `${app.legal_name} (${app.credit_code}) is already a participant`);
      }
      if (await trx('users').where(sameUsername(app.username)).first('id')) throw conflict('DUPLICATE_USERNAME', `username ${app.username} was taken meanwhile`);
      const now = clock.now();
      const [participant] = await trx('participants')
        .insert({
          name: app.legal_name,
          kind: app.kind,
          region: app.region,
          prefecture: app.prefecture,
          credit_code: app.credit_code,
          contact_name: app.contact_name,
          contact_phone: app.contact_phone,
          contact_email: app.contact_email,
        })
        .returning<Array<{ id: string }>>('id');
      const [user] = await trx('users')
        .insert({ username: app.username, password_hash: app.password_hash, role: 'participant', participant_id: participant!.id, participant_role: 'admin' })
        .returning<Array<{ id: string; username: string; participant_role: ParticipantRole; created_at: Date }>>(['id', 'username', 'participant_role', 'created_at']);
      await trx('accounts').insert({ participant_id: participant!.id, asset: CASH });
      const [decided] = await trx('participant_applications')
        .where({ id })
        .update({ status: 'approved', decision_reason: note, decided_by: actor.userId, decided_at: now, participant_id: participant!.id })
        .returning<ApplicationRow[]>('*');
      await appendAudit(trx, [
        {
          actorUserId: actor.userId,
          actor: actor.username,
          action: 'participant.approve',
          subject: `application:${id}`,
          payload: { participantId: participant!.id, legalName: app.legal_name, creditCode: app.credit_code, note },
          at: now,
        },
      ]);
      return {
        application: applicationView(decided!),
        participant: await this.detail(trx, participant!.id),
        user: { id: user!.id, username: user!.username, role: user!.participant_role, createdAt: user!.created_at.toISOString() },
      };
    });
  }

  async reject(actor: Actor, id: string, reason: string): Promise<ApplicationView> {
    const { knex, clock } = this.o;
    return knex.transaction(async (trx) => {
      await this.pending(trx, id);
      const now = clock.now();
      const [decided] = await trx('participant_applications')
        .where({ id })
        .update({ status: 'rejected', decision_reason: reason, decided_by: actor.userId, decided_at: now })
        .returning<ApplicationRow[]>('*');
      await appendAudit(trx, [{ actorUserId: actor.userId, actor: actor.username, action: 'participant.reject', subject: `application:${id}`, payload: { reason }, at: now }]);
      return applicationView(decided!);
    });
  }

  private async pending(trx: Knex.Transaction, id: string): Promise<ApplicationRow> {
    const row = await trx('participant_applications').where({ id }).forUpdate().first<ApplicationRow | undefined>();
    if (!row) throw notFound('APPLICATION_NOT_FOUND', `no application ${id}`);
    if (row.status !== 'pending') throw conflict('APPLICATION_DECIDED', `application ${id} was already ${row.status}`);
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`application:${row.credit_code}`]);
    return row;
  }

  async participant(id: string): Promise<ParticipantDetailView> {
    return this.detail(this.o.knex, id);
  }

  private async detail(sql: Knex | Knex.Transaction, id: string): Promise<ParticipantDetailView> {
    const p = await sql('participants')
      .where({ id })
      .whereNot({ kind: 'platform' })
      .first<
        | {
            id: string;
            name: string;
            kind: 'government' | 'enterprise'; // platform rows are filtered out above
            region: string;
            prefecture: string;
            credit_code: string | null;
            contact_name: string | null;
            contact_phone: string | null;
            contact_email: string | null;
            status: 'active' | 'suspended';
            status_reason: string | null;
            created_at: Date;
          }
        | undefined
      >();
    if (!p) throw notFound('PARTICIPANT_NOT_FOUND', `no participant ${id}`);
    return {
      id: p.id,
      name: p.name,
      kind: p.kind,
      region: p.region,
      prefecture: p.prefecture,
      creditCode: p.credit_code,
      contact: { name: p.contact_name, phone: p.contact_phone, email: p.contact_email },
      status: p.status,
      statusReason: p.status_reason,
      createdAt: p.created_at.toISOString(),
    };
  }

  async users(participantId: string): Promise<Array<ParticipantUserView & { disabled: boolean; mustChangePassword: boolean }>> {
    await this.participant(participantId);
    const rows = await this.o.knex('users')
      .where({ participant_id: participantId })
      .orderBy('id')
      .select<Array<{ id: string; username: string; participant_role: ParticipantRole; created_at: Date; disabled_at: Date | null; must_change_password: boolean }>>(
        'id',
        'username',
        'participant_role',
        'created_at',
        'disabled_at',
        'must_change_password',
      );
    return rows.map((u) => ({ id: u.id, username: u.username, role: u.participant_role, createdAt: u.created_at.toISOString(), disabled: u.disabled_at !== null, mustChangePassword: u.must_change_password }));
  }

  async addUser(actor: Actor, participantId: string, input: { username: string; password: string; role: ParticipantRole }): Promise<ParticipantUserView> {
    const { knex, clock } = this.o;
    await this.participant(participantId);
    const passwordHash = await hashNewPassword(input.username, input.password);
    return knex.transaction(async (trx) => {
      if ((await trx('users').where(sameUsername(input.username)).first('id')) || (await trx('participant_applications').where(sameUsername(input.username)).where({ status: 'pending' }).first('id'))) {
        throw conflict('DUPLICATE_USERNAME', `username ${input.username} is taken`);
      }
      const [user] = await trx('users')
        .insert({ username: input.username, password_hash: passwordHash, role: 'participant', participant_id: participantId, participant_role: input.role })
        .returning<Array<{ id: string; username: string; participant_role: ParticipantRole; created_at: Date }>>(['id', 'username', 'participant_role', 'created_at']);
      await appendAudit(trx, [
        { actorUserId: actor.userId, actor: actor.username, action: 'participant.user.add', subject: `participant:${participantId}`, payload: { userId: user!.id, username: input.username, role: input.role }, at: clock.now() },
      ]);
      return { id: user!.id, username: user!.username, role: user!.participant_role, createdAt: user!.created_at.toISOString() };
    });
  }

  async setUserRole(actor: Actor, participantId: string, userId: string, role: ParticipantRole): Promise<ParticipantUserView> {
    const { knex, clock } = this.o;
    return knex.transaction(async (trx) => {
      const user = await trx('users').where({ id: userId, participant_id: participantId }).forUpdate().first<{ id: string; participant_role: ParticipantRole } | undefined>('id', 'participant_role');
      if (!user) throw notFound('USER_NOT_FOUND', `participant ${participantId} has no user ${userId}`);
      if (user.participant_role === 'admin' && role !== 'admin') {
        const admins = await trx('users').where({ participant_id: participantId, participant_role: 'admin' }).whereNull('disabled_at').count<Array<{ count: string }>>('* as count');
        if (Number(admins[0]!.count) <= 1) throw unprocessable('LAST_ADMIN', 'a participant keeps at least one enabled participant admin');
      }
      const [updated] = await trx('users')
        .where({ id: userId })
        .update({ participant_role: role })
        .returning<Array<{ id: string; username: string; participant_role: ParticipantRole; created_at: Date }>>(['id', 'username', 'participant_role', 'created_at']);
      // Powers taken away must not outlive the change in a session opened before it: the user
      // signs in again and gets the new role. (The route announces it to every node after commit.)
      if (user.participant_role !== role) await revokeUserSessions(trx, userId, 'role_change');
      await appendAudit(trx, [
        { actorUserId: actor.userId, actor: actor.username, action: 'participant.user.role', subject: `participant:${participantId}`, payload: { userId, from: user.participant_role, to: role }, at: clock.now() },
      ]);
      return { id: updated!.id, username: updated!.username, role: updated!.participant_role, createdAt: updated!.created_at.toISOString() };
    });
  }

  /**
   * Suspends a participant: the engine cancels its open orders, releases every reservation and
   * records the status (audited in the same batch); its listings are withdrawn and its block
   * proposals ended; from then on its users cannot sign in, and their tokens are refused.
   */
  async suspend(actor: Actor, participantId: string, reason: string): Promise<ParticipantDetailView & { cancelledOrderIds: string[]; releasedReservationIds: string[] }> {
    const current = await this.participant(participantId);
    // Suspending again is refused only when the engine has it too; otherwise it is applied again.
    if (current.status === 'suspended' && this.o.engine.participantSuspended(participantId)) {
      throw conflict('ALREADY_SUSPENDED', `participant ${participantId} is already suspended`);
    }
    const outcome = await this.o.engine.submit({ kind: 'setParticipantStatus', actor, participantId, status: 'suspended', reason });
    if (!outcome.ok) throw outcome.error;
    await this.o.knex('participants').where({ id: participantId }).update({ status_reason: reason });
    for (const follower of this.o.followers) {
      await follower.participantSuspended(participantId, actor).catch((error: unknown) => this.o.log.error({ err: error, participantId }, 'a suspension follow-up failed'));
    }
    this.o.bus.emit('participantStatus', { participantId, status: 'suspended', reason });
    return { ...(await this.participant(participantId)), cancelledOrderIds: outcome.participant.cancelledOrderIds, releasedReservationIds: outcome.participant.releasedReservationIds };
  }

  async reinstate(actor: Actor, participantId: string, reason: string): Promise<ParticipantDetailView> {
    const current = await this.participant(participantId);
    if (current.status !== 'suspended') throw conflict('NOT_SUSPENDED', `participant ${participantId} is not suspended`);
    const outcome = await this.o.engine.submit({ kind: 'setParticipantStatus', actor, participantId, status: 'active', reason });
    if (!outcome.ok) throw outcome.error;
    await this.o.knex('participants').where({ id: participantId }).update({ status_reason: null });
    this.o.bus.emit('participantStatus', { participantId, status: 'active', reason });
    return this.participant(participantId);
  }

  /** A participant admin manages its own participant's users; the operator any participant's. */
  static ensureManager(role: string, participantRole: string | null, ownParticipantId: string | null, participantId: string): void {
    if (role === 'operator') return;
    if (role === 'participant' && ownParticipantId === participantId && participantRole === 'admin') return;
    throw forbidden('NOT_PARTICIPANT_ADMIN', 'only the operator or this participant’s admin can manage its users');
  }
}
