import type { Kysely } from 'kysely';
import { type Dialect, idColumn } from './frozen.ts';

/**
 * Customer channels: the durable notification outbox, the portal's query-code hash on orders, sealed
 * contact details for customer messages, and the per-phone submission log the portal rate-limits on.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const s = db.schema;

  await s
    .createTable('outbox')
    .addColumn('id', 'integer', idColumn(dialect))
    .addColumn('delivery_id', 'text', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer')
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  // The worker's claim query: pending rows whose time has come, oldest first.
  await s.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await s.createIndex('outbox_ticket').on('outbox').columns(['ticket_id', 'id']).execute();

  await s.alterTable('tickets').addColumn('query_hash', 'text').execute();

  await s
    .createTable('ticket_contacts')
    .addColumn('ticket_id', 'integer', (c) => c.primaryKey())
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .addColumn('iv', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('portal_submissions')
    .addColumn('id', 'integer', idColumn(dialect))
    .addColumn('phone_hash', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('portal_submissions_phone').on('portal_submissions').columns(['phone_hash', 'at']).execute();
}
