import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { PostgresFileStore, type FileStore } from './file-store.ts';
import { S3FileStore } from './s3-file-store.ts';

/** PostgreSQL unless an S3 endpoint is configured (S3_ENDPOINT with its key, secret and bucket). */
export function chooseFileStore(config: Config, knex: Knex): FileStore {
  if (!config.S3_ENDPOINT) return new PostgresFileStore(knex);
  return new S3FileStore({ endpoint: config.S3_ENDPOINT, accessKey: config.S3_ACCESS_KEY!, secretKey: config.S3_SECRET_KEY!, bucket: config.S3_BUCKET!, region: config.S3_REGION });
}
