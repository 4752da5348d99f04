import type { Knex } from 'knex';

export interface StoredFile {
  bytes: Buffer;
  contentType: string;
}

/**
 * Where uploaded documents live, by key. `put` takes the caller's transaction: a store inside
 * PostgreSQL writes the bytes in it (so a failed submission leaves nothing), a store outside
 * cannot, so its caller deletes what it put when the transaction fails (see lot-submission-service).
 */
export interface FileStore {
  /** Whether `put` commits and rolls back with the transaction it is given. */
  readonly transactional: boolean;
  put(trx: Knex.Transaction, key: string, file: StoredFile): Promise<void>;
  get(key: string): Promise<StoredFile | null>;
  delete(key: string): Promise<void>;
}

/** Documents as bytea rows of stored_files: the default, one transaction with their rows. */
export class PostgresFileStore implements FileStore {
  readonly transactional = true;
  constructor(private readonly knex: Knex) {}

  async put(trx: Knex.Transaction, key: string, file: StoredFile): Promise<void> {
    await trx('stored_files').insert({ key, bytes: file.bytes, content_type: file.contentType });
  }

  async get(key: string): Promise<StoredFile | null> {
    const row = await this.knex('stored_files').where({ key }).first<{ bytes: Buffer; content_type: string } | undefined>('bytes', 'content_type');
    return row ? { bytes: row.bytes, contentType: row.content_type } : null;
  }

  async delete(key: string): Promise<void> {
    await this.knex('stored_files').where({ key }).delete();
  }
}
