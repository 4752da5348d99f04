import { Pool } from 'undici';

export interface LoadRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  path: string;
  body?: unknown;
  token?: string;
}

export interface LoadResult {
  requests: number;
  byStatus: Record<number, number>;
  errors: number;
  seconds: number;
  latenciesMs: Float64Array;
}

export const percentile = (sorted: Float64Array, p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

/**
 * Closed-loop load: `connections` virtual users each send a request, wait for its answer, then
 * send the next, for `seconds`. Latency is measured per request on the client's clock.
 */
export async function runLoad(options: {
  origin: string;
  connections: number;
  seconds: number;
  next: (user: number) => LoadRequest;
  onResponse?: (user: number, request: LoadRequest, status: number, body: string) => void;
  progress?: (done: number, elapsedS: number) => void;
}): Promise<LoadResult> {
  const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  const byStatus: Record<number, number> = {};
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const timer = setInterval(() => options.progress?.(latencies.length, (performance.now() - started) / 1000), 1000);
  const user = async (u: number) => {
    while (performance.now() < deadline) {
      const request = options.next(u);
      const t0 = performance.now();
      try {
        const res = await pool.request({
          method: request.method,
          path: request.path,
          headers: {
            ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
          },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
        });
        const text = await res.body.text();
        latencies.push(performance.now() - t0);
        byStatus[res.statusCode] = (byStatus[res.statusCode] ?? 0) + 1;
        options.onResponse?.(u, request, res.statusCode, text);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, u) => user(u)));
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  const sorted = Float64Array.from(latencies).sort();
  return { requests: latencies.length, byStatus, errors, seconds, latenciesMs: sorted };
}
