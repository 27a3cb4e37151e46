import type { Kysely } from 'kysely';
import type { Dialect } from './frozen.ts';

/**
 * State that several nodes on one database share: rate-limit counters (one row per limited key, its window
 * restarted in place when it has run out), and the `database` file storage — a row per content hash and its
 * bytes in chunks, so that no single value is large and `pg_dump` backs the files up with the orders.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('rate_limits_expires').on('rate_limits').column('expires_at').execute();

  await s
    .createTable('file_blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('chunks', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('file_chunks')
    .addColumn('sha256', 'text', (c) => c.notNull().references('file_blobs.sha256'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_chunks_pk', ['sha256', 'seq'])
    .execute();
}
