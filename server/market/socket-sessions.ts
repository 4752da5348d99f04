import type { FastifyInstance } from 'fastify';
import type { Namespace, Socket } from 'socket.io';
import type { AuthUser } from '../auth/auth-context.ts';
import { resolveToken } from '../auth/auth-plugin.ts';
import type { Role } from '../auth/tokens.ts';
import { AppError } from '../errors.ts';
import type { RefusalData, SessionEndedMessage } from './live-contract.ts';

// Who may hold a live socket, and for how long: as long as its session is live and its user
// still may use the namespace. The access token only opens the socket; a logout, role change,
// disable, password change or reset announced on any node ends it (session_ended, then close).

export const userRoom = (userId: string) => `user:${userId}`;

function refusalOf(error: unknown): RefusalData {
  if (error instanceof AppError && (error.statusCode === 401 || error.statusCode === 403)) {
    return { statusCode: error.statusCode, code: error.code as RefusalData['code'], message: error.message };
  }
  throw error;
}

function refusal(data: RefusalData): Error {
  return Object.assign(new Error(data.code), { data });
}

/** The refusal for a user who may not hold this namespace's socket, or null. */
function forbiddenHere(nsp: Namespace, roles: Role[], user: AuthUser): RefusalData | null {
  if (!roles.includes(user.role) || (roles.includes('participant') && !user.participantId)) {
    return { statusCode: 403, code: 'FORBIDDEN_ROLE', message: `the ${nsp.name} stream is for the ${roles.join(' or ')} role; you are signed in as ${user.role}` };
  }
  if (user.mustChangePassword) return { statusCode: 403, code: 'PASSWORD_CHANGE_REQUIRED', message: 'your password was reset: choose a new one first' };
  return null;
}

/** Whether the socket's session still admits it; reads PostgreSQL through the session gate. */
async function stillAdmitted(app: FastifyInstance, nsp: Namespace, roles: Role[], socket: Socket): Promise<RefusalData | null> {
  const held = socket.data.user as AuthUser;
  const principal = await app.platform.authSessions.principal(held.sessionId, held.id);
  if (!principal?.sessionLive) return { statusCode: 401, code: 'SESSION_ENDED', message: 'this session has ended (signed out, or the account changed); sign in again' };
  if (principal.disabled) return { statusCode: 401, code: 'USER_DISABLED', message: 'this account is disabled' };
  if (principal.role !== held.role || principal.participantId !== held.participantId || principal.participantRole !== held.participantRole) {
    return { statusCode: 401, code: 'SESSION_ENDED', message: 'the account changed; sign in again' };
  }
  return forbiddenHere(nsp, roles, { ...held, mustChangePassword: principal.mustChangePassword });
}

function end(socket: Socket, why: SessionEndedMessage): void {
  socket.emit('session_ended', why);
  socket.disconnect(true);
}

/**
 * Admits a socket with a live session of one of `roles`; refuses it with the HTTP API's codes.
 * Returns what stops listening for session changes (at close).
 */
export function guardNamespace(app: FastifyInstance, nsp: Namespace, roles: Role[]): () => void {
  nsp.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token === '') {
      next(refusal({ statusCode: 401, code: 'TOKEN_MISSING', message: 'sign in first: connect with auth: { token }' }));
      return;
    }
    resolveToken(app.platform, token).then(
      (user) => {
        const refused = forbiddenHere(nsp, roles, user);
        if (refused) return next(refusal(refused));
        socket.data.user = user;
        void socket.join(userRoom(user.id));
        next();
      },
      (error: unknown) => {
        try {
          next(refusal(refusalOf(error)));
        } catch (unexpected) {
          app.log.warn({ err: unexpected }, 'socket admission failed');
          next(new Error('INTERNAL_ERROR'));
        }
      },
    );
  });

  // A session also ends without an announcement (it ran out): each socket looks again as often
  // as an access token would have to be renewed.
  const recheckMs = app.platform.config.ACCESS_TOKEN_TTL_SECONDS * 1000;
  nsp.on('connection', (socket) => {
    const timer = setInterval(() => {
      stillAdmitted(app, nsp, roles, socket).then(
        (refused) => refused && end(socket, refused),
        (err: unknown) => app.log.debug({ err }, 'socket session re-check failed; kept until the next one'),
      );
    }, recheckMs);
    socket.on('disconnect', () => clearInterval(timer));
  });

  const stop = app.platform.authSessions.onChange((userId) => {
    void nsp
      .in(userRoom(userId))
      .local.fetchSockets()
      .then(async (sockets) => {
        for (const remote of sockets) {
          const socket = nsp.sockets.get(remote.id);
          if (!socket) continue;
          const refused = await stillAdmitted(app, nsp, roles, socket);
          if (refused) end(socket, refused);
        }
      })
      .catch((err: unknown) => app.log.warn({ err }, 'sockets of a changed session not checked'));
  });
  return () => {
    stop();
  };
}
