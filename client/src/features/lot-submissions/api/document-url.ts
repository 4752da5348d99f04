import { useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { getToken } from '../../../shared/auth/session.ts';

/**
 * A document as an object URL: the bearer token lives in memory, so an <iframe src> straight to
 * the API would arrive unsigned. The bytes are fetched with the token and shown from a blob: URL
 * (the CSP allows blob: frames and images for this), typed as the server detected them.
 */
export function useDocumentUrl(path: string | null): { url: string | null; error: unknown } {
  const [state, setState] = useState<{ url: string | null; error: unknown }>({ url: null, error: null });
  useEffect(() => {
    if (!path) return undefined;
    let url: string | null = null;
    let live = true;
    void (async () => {
      try {
        const token = getToken();
        const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
        if (!response.ok) throw new ApiError({ statusCode: response.status, code: `HTTP_${response.status}`, message: response.statusText });
        url = URL.createObjectURL(await response.blob());
        if (live) setState({ url, error: null });
      } catch (error) {
        if (live) setState({ url: null, error });
      }
    })();
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [path]);
  return state;
}
