import { type Kysely, sql } from 'kysely';
import type { Dialect } from './index.ts';

/** An arbitrary first key that keeps GridVoice's advisory locks apart from any other application's on the database. */
const NAMESPACE = 0x67766a62;

/**
 * Runs `fn` while holding a cluster-wide lock named `name`, or not at all when another process holds it (returns
 * `{ ran: false }` at once, never waits). PostgreSQL: a session advisory lock on one pooled connection kept for the
 * duration; the server releases it by itself if that connection or the process dies, so a killed node never
 * leaves a job locked. The key includes the schema, so installations sharing a database do not block each other.
 * SQLite: one process owns the file, so there is nothing to coordinate.
 */
export async function withAdvisoryLock<DB, T>(
  db: Kysely<DB>,
  dialect: Dialect,
  name: string,
  fn: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const run: Record<Dialect, () => Promise<{ ran: true; value: T } | { ran: false }>> = {
    sqlite: async () => ({ ran: true, value: await fn() }),
    postgres: () =>
      db.connection().execute(async (conn) => {
        const key = sql`${NAMESPACE}::int, hashtext(current_schema() || ':' || ${name})`;
        const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${key}) as ok`.execute(conn);
        if (!got.rows[0]?.ok) return { ran: false } as const;
        try {
          return { ran: true, value: await fn() } as const;
        } finally {
          // A lost connection has released the lock already; the unlock then fails harmlessly.
          await sql`select pg_advisory_unlock(${key})`.execute(conn).catch(() => undefined);
        }
      }),
  };
  return run[dialect]();
}
