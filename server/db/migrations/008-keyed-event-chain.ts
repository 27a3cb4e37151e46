import { type Kysely, sql } from 'kysely';
import type { Dialect } from './frozen.ts';

/**
 * The keyed event chain. Each event records the digest of the order row it produced (`state_digest`), and
 * signed checkpoints of every order's chain head let a deleted or truncated order be found. Existing events
 * are re-keyed after migrating by the application's own task (it needs the secret, which a migration must not
 * read); until then their `state_digest` is null. Schema only: this file imports nothing of the application.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const s = db.schema;
  await s.alterTable('ticket_events').addColumn('state_digest', 'text').execute();
  await s
    .createTable('chain_checkpoints')
    .addColumn('id', 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('orders', 'integer', (c) => c.notNull())
    .addColumn('events', 'bigint', (c) => c.notNull())
    // sha256 over every head (id, seq, number, hash) in id order.
    .addColumn('root', 'text', (c) => c.notNull())
    // The heads without their hashes (id, seq, number), deflated: what lets a check name a missing order.
    .addColumn('heads', 'text')
    .addColumn('heads_digest', 'text', (c) => c.notNull())
    // HMAC over the checkpoint and the previous checkpoint's signature.
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
  // Re-keying finds the orders whose last event predates the keyed chain.
  await sql`create index ticket_events_unsealed on ticket_events (ticket_id) where state_digest is null`.execute(db);
}
