import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Rate-limit counters kept in the database, so that every node behind a balancer counts the same hits. */
export class RateLimitRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Counts one hit on the key and returns the hits in its window and when the window ends. A window that has run
   * out starts again at this hit. One upsert, so two nodes counting the same key at once never lose a hit: the
   * conflicting insert waits for the other's row lock and then updates the row it committed.
   */
  async hit(key: string, now: string, newExpiry: string): Promise<{ hits: number; expiresAt: string }> {
    const r = await this.db
      .insertInto('rate_limits')
      .values({ key, hits: 1, expires_at: newExpiry })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          hits: sql<number>`case when rate_limits.expires_at <= ${now} then 1 else rate_limits.hits + 1 end`,
          expires_at: sql<string>`case when rate_limits.expires_at <= ${now} then excluded.expires_at else rate_limits.expires_at end`,
        }),
      )
      .returning(['hits', 'expires_at'])
      .executeTakeFirstOrThrow();
    return { hits: Number(r.hits), expiresAt: r.expires_at };
  }

  /** The hits in the key's current window, without counting one (0 when the window has run out). */
  async peek(key: string, now: string): Promise<{ hits: number; expiresAt: string } | null> {
    const r = await this.db
      .selectFrom('rate_limits')
      .select(['hits', 'expires_at'])
      .where('key', '=', key)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return r ? { hits: Number(r.hits), expiresAt: r.expires_at } : null;
  }

  /** Drops counters whose window ended before `now`; returns how many. */
  async purgeExpired(now: string): Promise<number> {
    const r = await this.db.deleteFrom('rate_limits').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
