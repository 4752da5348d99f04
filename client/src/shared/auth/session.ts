import { useSyncExternalStore } from 'react';
import type { SessionUser } from '../api/types.ts';

// The bearer token and the user it belongs to, kept in localStorage so a reload stays signed in.
// Components read it through useSession(); the API client reads it through getToken().

const STORAGE_KEY = 'ecorights.session';

export interface Session {
  token: string;
  user: SessionUser;
}

function load(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.token !== 'string' || !parsed.user) return null;
    return parsed as Session;
  } catch {
    return null;
  }
}

let current: Session | null = load();
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

export function signIn(session: Session): void {
  current = session;
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  emit();
}

export function signOut(): void {
  current = null;
  localStorage.removeItem(STORAGE_KEY);
  emit();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, getSession);
}
