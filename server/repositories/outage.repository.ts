import { type Insertable, type Kysely, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type { Database, OutageTable } from '../db/schema.ts';
import { type Scope, visibleToScope } from './visibility.sql.ts';

type Q = Kysely<Database> | Transaction<Database>;
export type OutageRow = Selectable<OutageTable>;

/** Outage events (停电事件), their stations and the orders linked to them. */
export class OutageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts an outage with its stations; returns its id. */
  async insert(row: Insertable<OutageTable>, unitIds: readonly number[], q: Q): Promise<number> {
    const r = await q.insertInto('outages').values(row).returning('id').executeTakeFirstOrThrow();
    await this.setUnits(r.id, unitIds, q);
    return r.id;
  }

  /** Changes an outage's columns. */
  async update(id: number, set: Updateable<OutageTable>, q: Q): Promise<void> {
    await q.updateTable('outages').set(set).where('id', '=', id).execute();
  }

  /** Replaces the stations of an outage. */
  async setUnits(id: number, unitIds: readonly number[], q: Q): Promise<void> {
    await q.deleteFrom('outage_units').where('outage_id', '=', id).execute();
    const unique = [...new Set(unitIds)];
    if (unique.length)
      await q
        .insertInto('outage_units')
        .values(unique.map((unit_id) => ({ outage_id: id, unit_id })))
        .execute();
  }

  /** One outage of a company. */
  find(id: number, companyId: number, q: Q = this.db): Promise<OutageRow | undefined> {
    return q.selectFrom('outages').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
  }

  /** The outages of a company, newest start first, optionally by status, station and start period. */
  list(
    companyId: number,
    f: { statuses?: string[]; unitId?: number; from?: string; to?: string; limit?: number },
    q: Q = this.db,
  ): Promise<OutageRow[]> {
    let query = q.selectFrom('outages').selectAll().where('company_id', '=', companyId);
    if (f.statuses?.length) query = query.where('status', 'in', f.statuses);
    if (f.from) query = query.where('start_at', '>=', f.from);
    if (f.to) query = query.where('start_at', '<', f.to);
    if (f.unitId !== undefined)
      query = query.where(
        'id',
        'in',
        q
          .selectFrom('outage_units')
          .select('outage_id')
          .where('unit_id', '=', f.unitId as number),
      );
    return query
      .orderBy('start_at', 'desc')
      .orderBy('id', 'desc')
      .limit(f.limit ?? 1000)
      .execute();
  }

  /** The station ids of each given outage. */
  async unitsOf(ids: readonly number[], q: Q = this.db): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await q
      .selectFrom('outage_units')
      .selectAll()
      .where('outage_id', 'in', [...ids])
      .orderBy('unit_id')
      .execute();
    for (const r of rows) out.get(r.outage_id)?.push(r.unit_id);
    return out;
  }

  /**
   * How many orders the scope may see are linked to each given outage (a figure counts only what it drills to);
   * with a null scope, all of them (the bulk answer's count of orders it left alone).
   */
  async orderCounts(ids: readonly number[], scope: Scope | null, q: Q = this.db): Promise<Map<number, number>> {
    const out = new Map<number, number>(ids.map((id) => [id, 0]));
    if (ids.length === 0) return out;
    const rows = await q
      .selectFrom('outage_orders')
      .innerJoin('tickets', 'tickets.id', 'outage_orders.ticket_id')
      .select(['outage_orders.outage_id', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('outage_orders.outage_id', 'in', [...ids])
      .where((eb) => (scope ? visibleToScope(eb as never, scope) : sql<boolean>`1 = 1`))
      .groupBy('outage_orders.outage_id')
      .execute();
    for (const r of rows) out.set(r.outage_id, Number(r.n));
    return out;
  }

  /** Links an order (no-op when already linked). */
  async linkOrder(row: { outage_id: number; ticket_id: number; linked_by: number | null; linked_at: string }, q: Q): Promise<void> {
    await q
      .insertInto('outage_orders')
      .values(row)
      .onConflict((oc) => oc.columns(['outage_id', 'ticket_id']).doNothing())
      .execute();
  }

  /** The linked orders the scope may see, oldest first. */
  linkedOrders(outageId: number, scope: Scope, q: Q = this.db) {
    return q
      .selectFrom('tickets')
      .select([
        'tickets.id',
        'tickets.number',
        'tickets.kind',
        'tickets.class_code',
        'tickets.subject',
        'tickets.state',
        'tickets.version',
        'tickets.unit_id',
        'tickets.location',
        'tickets.intake_at',
        'tickets.next_due_at',
        'tickets.reply_due_at',
      ])
      .where((eb) =>
        eb.and([
          eb(
            'tickets.id',
            'in',
            eb.selectFrom('outage_orders').select('outage_orders.ticket_id').where('outage_orders.outage_id', '=', outageId),
          ),
          visibleToScope(eb, scope),
        ]),
      )
      .orderBy('tickets.id')
      .execute();
  }

  /** The outages an order is linked to. */
  outagesOfOrder(ticketId: number, q: Q = this.db) {
    return q
      .selectFrom('outage_orders as oo')
      .innerJoin('outages as o', 'o.id', 'oo.outage_id')
      .select(['o.id', 'o.number', 'o.title', 'o.status', 'o.kind', 'o.start_at', 'o.expected_restore_at', 'o.restored_at'])
      .where('oo.ticket_id', '=', ticketId)
      .orderBy('o.id')
      .execute();
  }
}
