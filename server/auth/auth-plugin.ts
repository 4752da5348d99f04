import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { forbidden, unauthorized } from '../errors.ts';
import type { AuthUser } from './auth-context.ts';
import type { Role } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

const ROLE_GUARD = Symbol('role guard');

export async function authPlugin(app: FastifyInstance): Promise<void> {
  app.decorateRequest('user', null);
  // Who may call a route is decided before its body is validated: an anonymous caller gets 401
  // and a wrong role 403, never a schema error that describes a route it may not use. Routes
  // declare guards as preHandler for readability; this moves them ahead of validation.
  app.addHook('onRoute', (route) => {
    const handlers = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    const guards = handlers.filter((h) => (h as unknown as Record<symbol, boolean>)[ROLE_GUARD]);
    if (guards.length === 0) return;
    const earlier = route.preValidation === undefined ? [] : Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation];
    route.preValidation = [...guards, ...earlier] as typeof route.preValidation;
    route.preHandler = handlers.filter((h) => !guards.includes(h)) as typeof route.preHandler;
  });
}
// Decorations must reach every route, so the plugin is not encapsulated.
(authPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

/** The bearer token's session and who stands behind it now; refuses ended sessions and disabled users. */
export async function authenticate(request: FastifyRequest): Promise<AuthUser> {
  const header = request.headers.authorization;
  if (!header) throw unauthorized('TOKEN_MISSING', 'sign in first: send Authorization: Bearer <token>');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized('TOKEN_INVALID', 'the Authorization header must be "Bearer <token>"');
  return resolveToken(request.server.platform, match[1]!);
}

/** The user behind an access token (HTTP and sockets alike), or the refusal as an AppError. */
export async function resolveToken(platform: FastifyInstance['platform'], token: string): Promise<AuthUser> {
  let claims: { sub: string; sid: string };
  try {
    claims = platform.tokens.verify(token);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FAST_JWT_EXPIRED') throw unauthorized('TOKEN_EXPIRED', 'your access token has expired: refresh it or sign in again');
    throw unauthorized('TOKEN_INVALID', 'the token is not valid; sign in again');
  }
  const principal = await platform.authSessions.principal(claims.sid, claims.sub);
  if (!principal || !principal.sessionLive) throw unauthorized('SESSION_ENDED', 'this session has ended (signed out, or the account changed); sign in again');
  if (principal.disabled) throw unauthorized('USER_DISABLED', 'this account is disabled');
  // A suspension takes effect at once, also for sessions opened before it.
  if (principal.participantId && (principal.participantSuspended || platform.engine.participantSuspended(principal.participantId))) {
    throw forbidden('PARTICIPANT_SUSPENDED', 'this participant is suspended');
  }
  return {
    id: principal.userId,
    username: principal.username,
    role: principal.role,
    participantId: principal.participantId,
    participantKind: principal.participantKind,
    participantRole: principal.participantRole,
    sessionId: claims.sid,
    mustChangePassword: principal.mustChangePassword,
  };
}

function markGuard(guard: preHandlerAsyncHookHandler): preHandlerAsyncHookHandler {
  (guard as unknown as Record<symbol, boolean>)[ROLE_GUARD] = true;
  return guard;
}

/** A preHandler that admits only the given roles, with a password that needs no change. */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  return markGuard(async (request) => {
    const user = await authenticate(request);
    if (!roles.includes(user.role)) {
      throw forbidden('FORBIDDEN_ROLE', `this action needs the ${roles.join(' or ')} role; you are signed in as ${user.role}`);
    }
    if (user.mustChangePassword) throw forbidden('PASSWORD_CHANGE_REQUIRED', 'your password was reset: choose a new one first (POST /api/auth/password)');
    if (user.participantRole === 'viewer' && request.method !== 'GET' && request.method !== 'HEAD') {
      throw forbidden('VIEWER_READ_ONLY', 'a viewer can look but not act: ask your participant admin for the trader role');
    }
    request.user = user;
  });
}

/** Any signed-in user, also one who must still change a reset password (who am I, change it). */
export function requireSession(): preHandlerAsyncHookHandler {
  return markGuard(async (request) => {
    request.user = await authenticate(request);
  });
}

/** Narrows request.user after a requireRole preHandler ran. */
export function userOf(request: FastifyRequest): AuthUser {
  if (!request.user) throw unauthorized('TOKEN_MISSING', 'sign in first');
  return request.user;
}

/** The participant of a participant-role caller. */
export function participantOf(request: FastifyRequest): { participantId: string; kind: NonNullable<AuthUser['participantKind']>; user: AuthUser } {
  const user = userOf(request);
  if (!user.participantId || !user.participantKind) throw forbidden('FORBIDDEN_ROLE', 'this action is for trading participants');
  return { participantId: user.participantId, kind: user.participantKind, user };
}

/** Who acts, as the audit log and the services record it. */
export interface RequestActor {
  userId: string;
  username: string;
}

export function actorOf(request: FastifyRequest): RequestActor {
  const user = userOf(request);
  return { userId: user.id, username: user.username };
}

/** Who acts, and what its role and participant let it see: the caller listings and demand listings take. */
export function callerOf(request: FastifyRequest): { actor: RequestActor; viewer: { role: Role; participantId: string | null } } {
  const user = userOf(request);
  return { actor: actorOf(request), viewer: { role: user.role, participantId: user.participantId } };
}
