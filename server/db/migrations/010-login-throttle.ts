import type { Kysely } from 'kysely';

/**
 * Failed logins are counted per account name and client address, so that nobody can lock an account from
 * elsewhere, and the counter is one row updated atomically (parallel guesses cannot all pass the check).
 * The name is kept as typed, known or not, so an unknown name is throttled exactly like a real one.
 *
 * Portal sessions are signed tokens; a token whose owner logged out is listed until it would have expired.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s
    .createTable('login_throttle')
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locks', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_throttle_pk', ['username', 'source'])
    .execute();
  await s
    .createTable('portal_revoked_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('portal_revoked_sessions_expiry').on('portal_revoked_sessions').column('expires_at').execute();
}
