import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { OPEN_RECTIFICATION_STATES } from '../../core/rectification.ts';
import type { Database } from '../db/schema.ts';
import type { RectificationTable, StatsTables } from '../db/stats-schema.ts';
import { type Scope, type TEB, visibleToScope } from './visibility.sql.ts';

type DB = Database & StatsTables;
type Q = Kysely<Database> | Transaction<Database>;
export type Rectification = Selectable<RectificationTable>;

const t = (q: Q) => (q as Kysely<Database>).withTables<StatsTables>() as unknown as Kysely<DB>;

/** Rectification orders (整改单), the orders they were raised from, their history and evidence files. */
export class RectificationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: Insertable<RectificationTable>, q: Q): Promise<number> {
    const r = await t(q).insertInto('rectifications').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  find(id: number, q: Q = this.db): Promise<Rectification | undefined> {
    return t(q).selectFrom('rectifications').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Applies changes if still at `version`; false when someone changed it meanwhile. */
  async updateVersioned(id: number, version: number, set: Updateable<RectificationTable>, q: Q): Promise<boolean> {
    const r = await t(q)
      .updateTable('rectifications')
      .set({ ...set, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Rectifications whose unit lies under one of the (non-empty list of) paths, newest first. */
  list(
    unitPaths: string[],
    f: { state?: string; overdue?: boolean; companyId?: number; month?: { fromIso: string; toIso: string } },
    limit: number,
    q: Q = this.db,
  ) {
    let query = t(q)
      .selectFrom('rectifications as r')
      .innerJoin('org_units as u', 'u.id', 'r.unit_id')
      .selectAll('r')
      .select('u.name as unit_name')
      .where((eb) => eb.or(unitPaths.map((p) => eb('u.path', 'like', `${p}%`))))
      .orderBy('r.id', 'desc')
      .limit(limit);
    if (f.state) query = query.where('r.state', '=', f.state);
    if (f.overdue !== undefined) query = query.where('r.overdue', '=', f.overdue ? 1 : 0);
    if (f.companyId !== undefined) query = query.where('r.company_id', '=', f.companyId);
    if (f.month) {
      const m = f.month;
      query = query.where((eb) =>
        eb.or([
          eb.and([eb('r.created_at', '>=', m.fromIso), eb('r.created_at', '<', m.toIso)]),
          eb('r.state', 'in', OPEN_RECTIFICATION_STATES),
        ]),
      );
    }
    return query.execute();
  }

  async addOrders(id: number, ticketIds: number[], q: Q): Promise<void> {
    if (ticketIds.length)
      await t(q)
        .insertInto('rectification_orders')
        .values(ticketIds.map((ticket_id) => ({ rectification_id: id, ticket_id })))
        .execute();
  }

  /** The orders it was raised from that the scope may see. */
  orders(id: number, scope: Scope, q: Q = this.db) {
    return t(q)
      .selectFrom('rectification_orders as ro')
      .innerJoin('tickets', 'tickets.id', 'ro.ticket_id')
      .select(['tickets.id', 'tickets.number', 'tickets.subject', 'tickets.state', 'tickets.class_code', 'tickets.verification'])
      .where('ro.rectification_id', '=', id)
      .where((eb) => visibleToScope(eb as unknown as TEB, scope))
      .orderBy('tickets.id')
      .execute();
  }

  /** The kind of every order it was raised from (to cite those a reader may not see by count alone). */
  async orderKinds(id: number, q: Q = this.db): Promise<Array<{ id: number; kind: string }>> {
    return t(q)
      .selectFrom('rectification_orders as ro')
      .innerJoin('tickets', 'tickets.id', 'ro.ticket_id')
      .select(['tickets.id', 'tickets.kind'])
      .where('ro.rectification_id', '=', id)
      .execute();
  }

  async addEvent(row: { rectification_id: number; action: string; actor_id: number | null; note: string | null; at: string }, q: Q) {
    await t(q).insertInto('rectification_events').values(row).execute();
  }

  events(id: number, q: Q = this.db) {
    return t(q)
      .selectFrom('rectification_events as e')
      .leftJoin('users as u', 'u.id', 'e.actor_id')
      .select(['e.action', 'e.note', 'e.at', 'u.display_name as actor_name'])
      .where('e.rectification_id', '=', id)
      .orderBy('e.id')
      .execute();
  }

  async addFile(
    row: {
      rectification_id: number;
      sha256: string;
      size: number;
      mime: string;
      name: string;
      uploaded_by: number | null;
      created_at: string;
    },
    q: Q = this.db,
  ): Promise<number> {
    const r = await t(q).insertInto('rectification_files').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  files(id: number, q: Q = this.db) {
    return t(q).selectFrom('rectification_files').selectAll().where('rectification_id', '=', id).orderBy('id').execute();
  }

  findFile(fileId: number, q: Q = this.db) {
    return t(q).selectFrom('rectification_files').selectAll().where('id', '=', fileId).executeTakeFirst();
  }

  /** Open rectifications past their due time not yet flagged, and verified ones whose effect check is due. */
  async dueForSweep(now: string, q: Q = this.db) {
    const overdue = await t(q)
      .selectFrom('rectifications')
      .selectAll()
      .where('state', 'in', ['open'])
      .where('overdue', '=', 0)
      .where('due_at', '<=', now)
      .execute();
    const effect = await t(q)
      .selectFrom('rectifications')
      .selectAll()
      .where('state', '=', 'verified')
      .where('effect_due_at', '<=', now)
      .execute();
    const open = await t(q).selectFrom('rectifications').selectAll().where('state', '=', 'open').where('warned', '=', 0).execute();
    return { overdue, effect, open };
  }
}
