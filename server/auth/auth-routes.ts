import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, unauthorized } from '../errors.ts';
import { errorResponses, bearer } from '../shared/schemas.ts';
import { verifyPassword } from './passwords.ts';
import { requireSession, userOf } from './auth-plugin.ts';
import { openSession, revokeSession, rotateRefreshToken, sessionOfRefreshToken } from './session-store.ts';
import { clearRefreshCookie, refreshTokenOf, setRefreshCookie } from './refresh-cookie.ts';
import { changeOwnPassword } from './user-access.ts';
import { EmptyBody, LoginBody, Me, PasswordBody, SessionAnswer } from '../../contract/auth.ts';
import { participantSummary, sessionUser, userForSignIn } from './auth-queries.ts';

// A fixed hash to verify against when the user does not exist, so timing does not reveal names.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Qx0xWmC3kZ4bd9n8Cwh5r2Gq7d2o8qj2u1lF5kq0aY';

// Two tabs that refresh at once present the same refresh token: the second within this many
// seconds of the first gets an access token (the browser already holds the new cookie). Later, a
// spent token can only be a copy: the session is revoked.
const REFRESH_REUSE_GRACE_SECONDS = 10;

export async function authRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { knex, config, tokens, authSessions: sessions } = app.platform;
  const refreshTtl = config.REFRESH_TOKEN_TTL_SECONDS;

  /** The answer to a sign-in, refresh or password change: an access token for the session. */
  const sessionAnswer = async (userId: string, sessionId: string) => {
    const user = await sessionUser(knex, userId);
    return {
      token: tokens.issue({ sub: userId, sid: sessionId }),
      expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
      user: { id: user.id, username: user.username, role: user.role, participantId: user.participant_id, mustChangePassword: user.must_change_password },
    };
  };

  app.post(
    '/auth/login',
    {
      config: { rateLimit: { max: config.LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        description: 'Sign in: opens a session, answers an access token and sets the refresh cookie.',
        body: LoginBody,
        response: { 200: SessionAnswer, ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      await claimLoginAttempt(request, reply, username);
      const row = await userForSignIn(knex, username);
      const ok = await verifyPassword(row?.password_hash ?? DUMMY_HASH, password);
      if (!row || !ok) throw unauthorized('INVALID_CREDENTIALS', 'wrong username or password');
      await forgetFailures(request, username);
      if (row.disabled) throw unauthorized('USER_DISABLED', 'this account is disabled; ask your administrator');
      if (row.participant_status === 'suspended') throw unauthorized('PARTICIPANT_SUSPENDED', 'this participant is suspended');
      const { sessionId, refreshToken } = await openSession(knex, row.id, refreshTtl, request.headers['user-agent']);
      setRefreshCookie(request, reply, refreshToken, refreshTtl);
      return sessionAnswer(row.id, sessionId);
    },
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        description: 'A new access token for the session of the refresh cookie; the cookie is rotated. A spent refresh token presented again revokes the session.',
        response: { 200: SessionAnswer, ...errorResponses },
      },
    },
    async (request, reply) => {
      const presented = refreshTokenOf(request);
      if (!presented) throw unauthorized('REFRESH_MISSING', 'no session to restore: sign in');
      const rotation = await rotateRefreshToken(knex, presented, refreshTtl, REFRESH_REUSE_GRACE_SECONDS);
      if (rotation.kind === 'unknown' || rotation.kind === 'ended' || rotation.kind === 'reused') {
        clearRefreshCookie(request, reply);
        if (rotation.kind === 'reused') {
          await sessions.announce(rotation.userId);
          request.log.warn({ sessionId: rotation.sessionId, userId: rotation.userId }, 'refresh token reused: session revoked');
          throw unauthorized('REFRESH_REUSED', 'this sign-in was used from somewhere else; the session has been ended for safety: sign in again');
        }
        throw unauthorized('SESSION_ENDED', 'the session has ended: sign in again');
      }
      // The user may have been disabled, or its participant suspended, since the last refresh.
      const principal = await sessions.principal(rotation.sessionId, rotation.userId);
      if (!principal?.sessionLive || principal.disabled) {
        clearRefreshCookie(request, reply);
        throw unauthorized('SESSION_ENDED', 'the session has ended: sign in again');
      }
      if (principal.participantSuspended) throw unauthorized('PARTICIPANT_SUSPENDED', 'this participant is suspended');
      if (rotation.kind === 'rotated') setRefreshCookie(request, reply, rotation.refreshToken, refreshTtl);
      return sessionAnswer(rotation.userId, rotation.sessionId);
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        description: 'Sign out: ends the session of the refresh cookie and of the bearer token, on every node. Send {}.',
        body: EmptyBody,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const ended = new Map<string, string>();
      const presented = refreshTokenOf(request);
      const byCookie = presented ? await sessionOfRefreshToken(knex, presented) : null;
      if (byCookie) ended.set(byCookie.sessionId, byCookie.userId);
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (bearer) {
        try {
          const claims = tokens.verify(bearer);
          ended.set(claims.sid, claims.sub);
        } catch {
          // An expired or foreign token: nothing of it to end.
        }
      }
      for (const [sessionId, userId] of ended) {
        if ((await revokeSession(knex, sessionId, 'logout')).length > 0) await sessions.announce(userId);
      }
      clearRefreshCookie(request, reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/password',
    {
      preHandler: requireSession(),
      config: { rateLimit: { max: config.LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        security: bearer,
        description: 'Change one’s own password (also the forced change after a reset). Every other session of the user ends; this one stays and gets a fresh access token.',
        body: PasswordBody,
        response: { 200: SessionAnswer, ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      // Guessing the current password here is as throttled as guessing it at sign-in.
      await claimLoginAttempt(request, reply, user.username);
      await changeOwnPassword(knex, user, request.body).catch((error: unknown) => {
        if ((error as { code?: string }).code !== 'PASSWORD_WRONG') void forgetFailures(request, user.username);
        throw error;
      });
      await forgetFailures(request, user.username);
      await sessions.announce(user.id);
      // A fresh access token of the same session: it no longer says a password change is due.
      return sessionAnswer(user.id, user.sessionId);
    },
  );

  app.get(
    '/auth/me',
    {
      preHandler: requireSession(),
      schema: {
        tags: ['auth'],
        security: bearer,
        response: { 200: Me, ...errorResponses },
      },
    },
    async (request) => {
      const user = userOf(request);
      const participant = user.participantId ? await participantSummary(knex, user.participantId) : null;
      return { id: user.id, username: user.username, role: user.role, participantId: user.participantId, mustChangePassword: user.mustChangePassword, participant: participant ?? null };
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
