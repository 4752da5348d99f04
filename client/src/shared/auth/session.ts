import { useSyncExternalStore } from 'react';
import type { LoginResponse, SessionUser } from '../api/types.ts';

// The access token and the user it belongs to, kept in memory only: a script injected into the
// page finds no token in storage, and the refresh token is an HttpOnly cookie it cannot read at
// all. A reload restores the session through POST /api/auth/refresh (the cookie goes with it);
// the access token is renewed the same way shortly before it expires and after a 401.
// Components read the session through useSession(); the API client through getToken().

export interface Session {
  token: string;
  user: SessionUser;
}

/** 'restoring' until the first refresh on load has answered: no redirect to sign-in before that. */
export type SessionState = 'restoring' | 'ready';

let current: Session | null = null;
let state: SessionState = 'restoring';
let renewTimer: ReturnType<typeof setTimeout> | undefined;
let inFlight: Promise<Session | null> | null = null;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function getSession(): Session | null {
  return current;
}

export function getToken(): string | null {
  return current?.token ?? null;
}

const getState = (): SessionState => state;

/** Renew a minute before expiry (or at 80 % of a short lifetime), so requests rarely meet a 401. */
function scheduleRenewal(expiresInSeconds: number): void {
  clearTimeout(renewTimer);
  const lead = Math.min(60, expiresInSeconds * 0.2);
  renewTimer = setTimeout(() => void refreshSession(), Math.max(1, expiresInSeconds - lead) * 1000);
}

/** Takes the answer of a sign-in, refresh or password change. */
export function signIn(answer: LoginResponse): void {
  current = { token: answer.token, user: answer.user };
  state = 'ready';
  scheduleRenewal(answer.expiresIn ?? 900);
  emit();
}

/** Forgets the session in this tab (the server's side is ended by logout()). */
export function signOut(): void {
  clearTimeout(renewTimer);
  current = null;
  state = 'ready';
  emit();
}

/** The first answer on load has come, whatever it was: screens may decide now. */
function settle(): void {
  if (state === 'ready') return;
  state = 'ready';
  emit();
}

/**
 * A new access token from the refresh cookie; one request at a time however many callers ask
 * (parallel 401s, the timer). Resolves null, signed out, when the session is gone.
 */
export function refreshSession(): Promise<Session | null> {
  inFlight ??= (async () => {
    try {
      const response = await fetch('/api/auth/refresh', { method: 'POST', headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) {
        // Read to the end: an unread body stays an open request in the browser.
        await response.text().catch(() => '');
        // A server error keeps the session for the next try; a refusal ends it.
        if (response.status === 401 || response.status === 403) signOut();
        else settle();
        return current;
      }
      signIn((await response.json()) as LoginResponse);
      return current;
    } catch {
      settle();
      return current;
    } finally {
      inFlight = null;
    }
  })();
  return inFlight;
}

/**
 * Signs this tab out at once, and ends the session on the server (every node, its sockets too)
 * with the token and cookie it had.
 */
export async function logout(): Promise<void> {
  const token = getToken();
  signOut();
  try {
    const response = await fetch('/api/auth/logout', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: '{}',
      credentials: 'same-origin',
      // Completes even when the page is closed or reloaded right after the click.
      keepalive: true,
    });
    await response.text().catch(() => '');
  } catch {
    // Offline: the session ends by itself when its refresh cookie expires.
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, getSession);
}

export function useSessionState(): SessionState {
  return useSyncExternalStore(subscribe, getState, getState);
}
