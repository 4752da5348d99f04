import type { FastifyReply, FastifyRequest } from 'fastify';

// The refresh token travels only in this cookie: HttpOnly (no script can read it, so an injected
// script cannot take the session away with it), SameSite=Strict (no other site's page can make the
// browser send it) and scoped to /api/auth, where refresh and logout live. It is Secure except
// when the browser reached the platform over plain http on a loopback name (127.0.0.1,
// localhost, ::1), which is how `npm start` and the browser tests run; anywhere else it is never
// sent over an unencrypted connection.

export const REFRESH_COOKIE = 'ecorights_refresh';
const PATH = '/api/auth';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function secure(request: FastifyRequest): boolean {
  return !(request.protocol === 'http' && LOOPBACK.has(request.hostname.toLowerCase()));
}

export function setRefreshCookie(request: FastifyRequest, reply: FastifyReply, token: string, ttlSeconds: number): void {
  reply.setCookie(REFRESH_COOKIE, token, { path: PATH, httpOnly: true, sameSite: 'strict', secure: secure(request), maxAge: ttlSeconds });
}

export function clearRefreshCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(REFRESH_COOKIE, { path: PATH, httpOnly: true, sameSite: 'strict', secure: secure(request) });
}

export function refreshTokenOf(request: FastifyRequest): string | null {
  const value = request.cookies[REFRESH_COOKIE];
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
}
