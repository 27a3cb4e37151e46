import type { ExpressionBuilder, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, NotificationTable } from '../db/schema.ts';
import { seenBy } from './order-reach.ts';
import { type Scope, type TEB, visibleToScope } from './visibility.sql.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A notification to insert (unread). */
export type NewNotificationRow = Omit<Selectable<NotificationTable>, 'id' | 'read_at'>;

/** Rows per INSERT: seven bound values each, well under both databases' parameter limits. */
const INSERT_CHUNK = 500;

/** A notification about no order, or about one the scope may see (what may not be seen is absent). */
function aboutVisible(eb: ExpressionBuilder<Database, 'notifications'>, scope: Scope) {
  return eb.or([
    eb('notifications.ticket_id', 'is', null),
    eb.exists(
      eb
        .selectFrom('tickets')
        .select('tickets.id')
        .whereRef('tickets.id', '=', 'notifications.ticket_id')
        .where((e) => visibleToScope(e as unknown as TEB, scope)),
    ),
  ]);
}

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
   * Inserts notifications, a few hundred per statement, leaving out those about an order the recipient may not
   * see; a repeated dedupe key is skipped, so jobs may notify at least once safely.
   */
  async insert(rows: readonly NewNotificationRow[], q: Q = this.db): Promise<void> {
    // A notice about an order goes only to those who may see the order: a report never reaches whom it names.
    const seen = await seenBy(
      q,
      rows,
      (r) => r.ticket_id,
      (r) => r.user_id,
    );
    for (let i = 0; i < seen.length; i += INSERT_CHUNK) {
      await q
        .insertInto('notifications')
        .values(seen.slice(i, i + INSERT_CHUNK).map((r) => ({ ...r, read_at: null })))
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .execute();
    }
  }

  /** The user's notifications about orders they may see now (or about no order), newest first. */
  list(userId: number, scope: Scope, limit: number, unreadOnly: boolean, q: Q = this.db) {
    let query = q
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .where((eb) => aboutVisible(eb, scope))
      .orderBy('id', 'desc')
      .limit(limit);
    if (unreadOnly) query = query.where('read_at', 'is', null);
    return query.execute();
  }

  async unreadCount(userId: number, scope: Scope, q: Q = this.db): Promise<number> {
    const r = await q
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .where((eb) => aboutVisible(eb, scope))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async markRead(userId: number, ids: number[] | 'all', at: string, q: Q = this.db): Promise<void> {
    let query = q.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
    if (ids !== 'all') query = query.where('id', 'in', ids.length ? ids : [0]);
    await query.execute();
  }
}
