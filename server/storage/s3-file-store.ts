import type { Knex } from 'knex';
import { Client } from 'minio';
import type { FileStore, StoredFile } from './file-store.ts';

export interface S3Settings {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

/** Documents in an S3-compatible bucket (MinIO, OSS, COS…); not transactional: callers clean up. */
export class S3FileStore implements FileStore {
  readonly transactional = false;
  private readonly client: Client;
  constructor(private readonly settings: S3Settings) {
    const url = new URL(settings.endpoint);
    this.client = new Client({
      endPoint: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      useSSL: url.protocol === 'https:',
      accessKey: settings.accessKey,
      secretKey: settings.secretKey,
      region: settings.region,
    });
  }

  async put(_trx: Knex.Transaction, key: string, file: StoredFile): Promise<void> {
    await this.client.putObject(this.settings.bucket, key, file.bytes, file.bytes.length, { 'Content-Type': file.contentType });
  }

  async get(key: string): Promise<StoredFile | null> {
    try {
      const stat = await this.client.statObject(this.settings.bucket, key);
      const stream = await this.client.getObject(this.settings.bucket, key);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return { bytes: Buffer.concat(chunks), contentType: String(stat.metaData['content-type'] ?? 'application/octet-stream') };
    } catch (error) {
      if ((error as { code?: string }).code === 'NotFound' || (error as { code?: string }).code === 'NoSuchKey') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.removeObject(this.settings.bucket, key);
  }
}
