import { DEMO_PASSWORD } from './browser.ts';

// JSON over HTTP to a platform process: how the scenarios set things up and check what the UI
// did. A refusal throws with the server's answer.

export type Method = 'GET' | 'POST' | 'PUT';

export async function apiCall<T>(baseUrl: string, method: Method, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** A demo user's token. */
export async function loginAs(baseUrl: string, username: string): Promise<string> {
  return (await apiCall<{ token: string }>(baseUrl, 'POST', '/api/auth/login', null, { username, password: DEMO_PASSWORD })).token;
}
