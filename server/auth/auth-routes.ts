import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { AppError, unauthorized } from '../errors.ts';
import { errorResponses, bearer } from '../shared/schemas.ts';
import { verifyPassword } from './passwords.ts';
import { requireRole, userOf } from './auth-plugin.ts';
import type { ParticipantKind } from './auth-context.ts';
import type { Role } from './tokens.ts';
import { sameUsername } from '../shared/usernames.ts';

const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const UserView = Type.Object({ id: Type.String(), username: Type.String(), role: Type.String(), participantId: Type.Union([Type.String(), Type.Null()]) });
const ParticipantView = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), region: Type.String(), prefecture: Type.String() });

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  participant_id: string | null;
  kind: ParticipantKind | null;
  participant_status: string | null;
  participant_role: 'admin' | 'trader' | 'viewer' | null;
}

// A fixed hash to verify against when the user does not exist, so timing does not reveal names.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Qx0xWmC3kZ4bd9n8Cwh5r2Gq7d2o8qj2u1lF5kq0aY';

export async function authRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Static<typeof LoginBody> }>(
    '/auth/login',
    {
      config: { rateLimit: { max: app.platform.config.LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        body: LoginBody,
        response: { 200: Type.Object({ token: Type.String(), user: UserView }), ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      await claimLoginAttempt(request, reply, username);
      const row = await app.platform
        .knex('users as u')
        .leftJoin('participants as p', 'p.id', 'u.participant_id')
        .where(sameUsername(username, 'u.username'))
        // Accounts that differed only in case before usernames were case-blind keep their own.
        .orderByRaw('(u.username = ?) DESC, u.id', [username])
        .first<UserRow | undefined>('u.id', 'u.username', 'u.password_hash', 'u.role', 'u.participant_id', 'u.participant_role', 'p.kind', 'p.status as participant_status');
      const ok = await verifyPassword(row?.password_hash ?? DUMMY_HASH, password);
      if (!row || !ok) throw unauthorized('INVALID_CREDENTIALS', 'wrong username or password');
      await forgetFailures(request, username);
      if (row.participant_status === 'suspended') throw unauthorized('PARTICIPANT_SUSPENDED', 'this participant is suspended');
      const token = app.platform.tokens.issue({
        sub: row.id,
        username: row.username,
        role: row.role,
        participantId: row.participant_id,
        participantKind: row.kind,
        participantRole: row.participant_role,
      });
      return { token, user: { id: row.id, username: row.username, role: row.role, participantId: row.participant_id } };
    },
  );

  app.get(
    '/auth/me',
    {
      preHandler: requireRole('participant', 'regulator', 'operator'),
      schema: {
        tags: ['auth'],
        security: bearer,
        response: { 200: Type.Object({ ...UserView.properties, participant: Type.Union([ParticipantView, Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      const user = userOf(request);
      const participant = user.participantId
        ? await app.platform.knex('participants').where({ id: user.participantId }).first('id', 'name', 'kind', 'region', 'prefecture')
        : null;
      return { id: user.id, username: user.username, role: user.role, participantId: user.participantId, participant: participant ?? null };
    },
  );
}

/** Refuses an account still backing off from failed sign-ins, before its password is checked. */
async function claimLoginAttempt(request: FastifyRequest, reply: FastifyReply, username: string): Promise<void> {
  let waitMs: number;
  try {
    waitMs = await request.server.platform.loginBackoff.claimAttempt(username);
  } catch (error) {
    // Redis away: the per-IP limit and argon2's cost still stand; refusing every sign-in would not help.
    request.log.warn({ err: error }, 'login back-off unavailable');
    return;
  }
  if (waitMs <= 0) return;
  const seconds = Math.ceil(waitMs / 1000);
  reply.header('retry-after', String(seconds));
  throw new AppError(429, 'LOGIN_BACKOFF', `too many failed sign-ins for this account: try again in ${seconds} s`);
}

async function forgetFailures(request: FastifyRequest, username: string): Promise<void> {
  try {
    await request.server.platform.loginBackoff.recordSuccess(username);
  } catch (error) {
    request.log.warn({ err: error }, 'login back-off unavailable');
  }
}
