import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { forbidden, unauthorized } from '../errors.ts';
import type { AuthUser } from './auth-context.ts';
import type { Role } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

export async function authPlugin(app: FastifyInstance): Promise<void> {
  app.decorateRequest('user', null);
}
// Decorations must reach every route, so the plugin is not encapsulated.
(authPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

function authenticate(request: FastifyRequest): AuthUser {
  const header = request.headers.authorization;
  if (!header) throw unauthorized('TOKEN_MISSING', 'sign in first: send Authorization: Bearer <token>');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized('TOKEN_INVALID', 'the Authorization header must be "Bearer <token>"');
  try {
    const claims = request.server.platform.tokens.verify(match[1]!);
    return {
      id: claims.sub,
      username: claims.username,
      role: claims.role,
      participantId: claims.participantId,
      participantKind: claims.participantKind ?? null,
    };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FAST_JWT_EXPIRED') throw unauthorized('TOKEN_EXPIRED', 'your session has expired; sign in again');
    throw unauthorized('TOKEN_INVALID', 'the token is not valid; sign in again');
  }
}

/** A preHandler that admits only the given roles. */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  return async (request) => {
    const user = authenticate(request);
    if (!roles.includes(user.role)) {
      throw forbidden('FORBIDDEN_ROLE', `this action needs the ${roles.join(' or ')} role; you are signed in as ${user.role}`);
    }
    request.user = user;
  };
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
