import type { Knex } from 'knex';

export interface SessionResult {
  rows: Array<Record<string, unknown>>;
}

interface RawClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<SessionResult>;
  on(event: 'error', listener: (err: Error) => void): void;
}

/**
 * The engine's own PostgreSQL connection, held outside the pool. Statements sent on one
 * connection run in the order they were sent, one after another: the engine can send batch k+1
 * while batch k is still committing and know k+1 runs after k. Hot statements are named, so
 * PostgreSQL plans each once for the life of the connection.
 */
export class EngineSession {
  private client: RawClient | null = null;

  constructor(private readonly knex: Knex) {}

  async open(): Promise<void> {
    if (this.client) return;
    const client = (await this.knex.client.acquireRawConnection()) as RawClient;
    // A lost connection fails the queries on it; the engine then rebuilds and opens a new one.
    client.on('error', () => {});
    this.client = client;
  }

  query(name: string, text: string, values: unknown[]): Promise<SessionResult> {
    if (!this.client) return Promise.reject(new Error('the engine session is not open'));
    return this.client.query({ name, text, values });
  }

  /** Drops the connection (after a failure: it may be broken or mid-transaction). */
  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await this.knex.client.destroyRawConnection(client).catch(() => {});
  }
}
