import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, NotificationTable } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A notification to insert (unread). */
export type NewNotificationRow = Omit<Selectable<NotificationTable>, 'id' | 'read_at'>;

/** Rows per INSERT: seven bound values each, well under both databases' parameter limits. */
const INSERT_CHUNK = 500;

/** In-app notifications and the lookups that find their recipients. */
export class NotificationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Active users holding one of the roles whose unit lies in the subtree. */
  async usersWithRoles(unitPath: string, roles: readonly string[], q: Q = this.db): Promise<number[]> {
    const rows = await q
      .selectFrom('users')
      .innerJoin('org_units as u', 'u.id', 'users.unit_id')
      .innerJoin('user_roles as r', 'r.user_id', 'users.id')
      .select('users.id')
      .distinct()
      .where('users.active', '=', 1)
      .where('u.path', 'like', `${unitPath}%`)
      .where('r.role', 'in', roles)
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Inserts notifications, a few hundred per statement; a repeated dedupe key is skipped, so jobs may notify at
   * least once safely.
   */
  async insert(rows: readonly NewNotificationRow[], q: Q = this.db): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await q
        .insertInto('notifications')
        .values(rows.slice(i, i + INSERT_CHUNK).map((r) => ({ ...r, read_at: null })))
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .execute();
    }
  }

  list(userId: number, limit: number, unreadOnly: boolean, q: Q = this.db) {
    let query = q.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit);
    if (unreadOnly) query = query.where('read_at', 'is', null);
    return query.execute();
  }

  async unreadCount(userId: number, q: Q = this.db): Promise<number> {
    const r = await q
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async markRead(userId: number, ids: number[] | 'all', at: string, q: Q = this.db): Promise<void> {
    let query = q.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
    if (ids !== 'all') query = query.where('id', 'in', ids.length ? ids : [0]);
    await query.execute();
  }
}
