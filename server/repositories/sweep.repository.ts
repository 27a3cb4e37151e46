import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, Ticket } from '../db/schema.ts';
import { type Dialect, forUpdateSkipLocked } from '../db/sql/index.ts';

/** Rows per multi-row UPDATE: two bound values each, well under both databases' parameter limits. */
const CHUNK = 500;

/** The deadline sweeper's queries: a batch of due orders and their next check times, each in one statement. */
export class SweepRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Up to `limit` whole orders whose next check time has come, earliest first (one range scan of the
   * next_check_at index). PostgreSQL locks them for the transaction and skips rows another transaction holds,
   * so two app processes never sweep the same order.
   */
  due(now: string, limit: number, q: Transaction<Database>): Promise<Ticket[]> {
    const query = q.selectFrom('tickets').selectAll().where('next_check_at', '<=', now).orderBy('next_check_at').limit(limit);
    return forUpdateSkipLocked(this.dialect, query).execute();
  }

  /** The earliest next check time that has come and not been swept yet, or null (the sweeper lag, for the metrics). */
  async earliestDue(now: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('tickets')
      .select('next_check_at')
      .where('next_check_at', '<=', now)
      .orderBy('next_check_at')
      .limit(1)
      .executeTakeFirst();
    return row?.next_check_at ?? null;
  }

  /** Sets the next check time of many orders, a few hundred per statement (`case id when … then … end`). */
  async setNextCheck(rows: ReadonlyArray<{ id: number; next_check_at: string | null }>, q: Kysely<Database> = this.db): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const next = sql<string | null>`case ${sql.ref('id')} ${sql.join(
        chunk.map((r) => sql`when ${r.id} then ${r.next_check_at}`),
        sql` `,
      )} end`;
      await q
        .updateTable('tickets')
        .set({ next_check_at: next })
        .where(
          'id',
          'in',
          chunk.map((r) => r.id),
        )
        .execute();
    }
  }
}
