import { getToken, refreshSession, signOut } from '../auth/session.ts';
import type { ApiErrorBody } from './types.ts';

// The one HTTP client. Every call goes through apiRequest so that errors arrive as ApiError
// (the server's {statusCode, code, message}) and a 401 is handled in one place: the access
// token is renewed from the refresh cookie and the call sent once more; only when the session
// itself is gone is the user signed out.

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly params: Record<string, string>;

  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.statusCode = body.statusCode;
    this.code = body.code;
    this.params = body.params ?? {};
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  body?: unknown;
  query?: Query;
  /** A 401 on the login call itself means wrong credentials, not an expired session. */
  skipAuthRedirect?: boolean;
  signal?: AbortSignal;
}

let onUnauthorized: () => void = () => {};

/** The app decides what a lost session looks like (sign out, go to the login page). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function headers(hasBody: boolean): Headers {
  const h = new Headers({ Accept: 'application/json' });
  if (hasBody) h.set('Content-Type', 'application/json');
  const token = getToken();
  if (token) h.set('Authorization', `Bearer ${token}`);
  return h;
}

async function toApiError(response: Response, skipAuthRedirect: boolean): Promise<ApiError> {
  let body: Partial<ApiErrorBody> = {};
  try {
    body = (await response.json()) as Partial<ApiErrorBody>;
  } catch {
    // a proxy or a crash may answer with HTML; keep the status
  }
  if (response.status === 401 && !skipAuthRedirect) {
    signOut();
    onUnauthorized();
  }
  return new ApiError({
    statusCode: body.statusCode ?? response.status,
    code: body.code ?? `HTTP_${response.status}`,
    message: body.message ?? response.statusText ?? 'Request failed',
    params: body.params,
  });
}

/** A 401 with a token sent: renew it once and resend; the second answer stands. */
async function sendRenewingOnce(send: () => Promise<Response>, skipAuthRedirect: boolean): Promise<Response> {
  const sentWith = getToken();
  const response = await send();
  if (response.status !== 401 || skipAuthRedirect || sentWith === null) return response;
  const renewed = getToken() !== sentWith ? getToken() : (await refreshSession())?.token;
  if (!renewed) return response;
  // The refused answer is dropped: read it out, or the browser keeps it as an open request.
  await response.text().catch(() => '');
  return send();
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const hasBody = options.body !== undefined;
  let response: Response;
  try {
    response = await sendRenewingOnce(
      () =>
        fetch(buildUrl(path, options.query), {
          method: options.method ?? 'GET',
          headers: headers(hasBody),
          body: hasBody ? JSON.stringify(options.body) : null,
          signal: options.signal ?? null,
        }),
      options.skipAuthRedirect ?? false,
    );
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ statusCode: 0, code: 'NETWORK_ERROR', message: 'Network error' });
  }
  if (!response.ok) throw await toApiError(response, options.skipAuthRedirect ?? false);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Downloads an authenticated file (certificate PDF, audit CSV): a plain link would not carry the token. */
export async function downloadFile(path: string, fileName: string, query?: Query): Promise<void> {
  const response = await sendRenewingOnce(() => fetch(buildUrl(path, query), { headers: headers(false) }), false);
  if (!response.ok) throw await toApiError(response, false);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
