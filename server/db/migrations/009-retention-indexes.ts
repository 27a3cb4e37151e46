import { type Kysely, sql } from 'kysely';

/**
 * The retention clean-up's range scans: delivered outbox messages by send time, read notifications by read time,
 * idempotency keys by age. Partial where only some rows are ever cleaned. Schema only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index outbox_sent_at on outbox (sent_at) where status = 'sent'`.execute(db);
  await sql`create index notifications_read_at on notifications (read_at) where read_at is not null`.execute(db);
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
}
