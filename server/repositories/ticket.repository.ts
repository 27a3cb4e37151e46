import { type ExpressionBuilder, type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database, NewTicket, Ticket, TicketEvent, TicketUpdate } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;
type TEB = ExpressionBuilder<Database, 'tickets'>;

/** What scopes an actor's view of the orders (DESIGN §1): company subtree, unit subtree, exclusions. */
export interface Scope {
  userId: number | null;
  /** Path of the actor's company for centre roles, else null. */
  companyPath: string | null;
  /** Path of the actor's unit for unit roles, else null. */
  unitPath: string | null;
}

export interface TicketFilter {
  states?: string[];
  kind?: string;
  classPrefix?: string;
  channel?: string;
  unitPath?: string;
  grade?: string;
  flags?: Array<'repeat' | 'supervised' | 'risk' | 'outage'>;
  warned?: boolean;
  overdue?: boolean;
  dueBefore?: string;
  createdFrom?: string;
  createdTo?: string;
  customerPhone?: string;
  customerAccount?: string;
  customerId?: number;
  number?: string;
  /** Statistics drill-down; null = not yet set. */
  verification?: string | null;
  rootCause?: string | null;
  areaType?: string;
  /** Orders with exactly this unit, or with no unit yet and this company (a statistics row of the unit's own). */
  ownUnitId?: number;
  /** The ids of the orders whose text matches a search (TextRepository.matching). */
  textMatch?: RawBuilder<{ id: number }>;
}

export type SortKey = 'due' | 'created';
export interface Cursor {
  /** Phase for the due sort: 0 = orders with a running deadline, 1 = the rest. */
  p: number;
  v: string | null;
  id: number;
}

const FLAG_COLUMNS = { repeat: 'flag_repeat', supervised: 'flag_supervised', risk: 'flag_risk', outage: 'flag_outage' } as const;

/** Work orders, their events and satellite rows. Scoping is SQL here, never a filter after loading. */
export class TicketRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The visibility predicate for the actor's scope. */
  scoped(eb: TEB, scope: Scope) {
    const clauses = [];
    if (scope.companyPath !== null) {
      const p = `${scope.companyPath}%`;
      clauses.push(
        eb(
          'tickets.company_id',
          'in',
          eb.selectFrom('org_units').select('org_units.id').where('org_units.kind', '=', 'company').where('org_units.path', 'like', p),
        ),
      );
    }
    if (scope.unitPath !== null) {
      const units = eb.selectFrom('org_units').select('org_units.id').where('org_units.path', 'like', `${scope.unitPath}%`);
      clauses.push(eb('tickets.unit_id', 'in', units));
      clauses.push(
        eb.exists(
          eb
            .selectFrom('ticket_units as tu')
            .select('tu.ticket_id')
            .whereRef('tu.ticket_id', '=', 'tickets.id')
            .where('tu.unit_id', 'in', units),
        ),
      );
    }
    if (clauses.length === 0) return sql<boolean>`1 = 0`;
    const visible = eb.or(clauses);
    if (scope.userId === null) return visible;
    // Staff named in an integrity report never see it (DESIGN §6).
    return eb.and([
      visible,
      eb.not(
        eb.exists(
          eb
            .selectFrom('ticket_exclusions as x')
            .select('x.ticket_id')
            .whereRef('x.ticket_id', '=', 'tickets.id')
            .where('x.user_id', '=', scope.userId),
        ),
      ),
    ]);
  }

  /** One order if the scope may see it. */
  findScoped(id: number, scope: Scope, q: Q = this.db): Promise<Ticket | undefined> {
    return q
      .selectFrom('tickets')
      .selectAll()
      .where('tickets.id', '=', id)
      .where((eb) => this.scoped(eb, scope))
      .executeTakeFirst();
  }

  /** One order regardless of scope (jobs and system use only). */
  find(id: number, q: Q = this.db): Promise<Ticket | undefined> {
    return q.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
  }

  private applyFilter(eb: TEB, f: TicketFilter) {
    const c = [];
    if (f.states?.length) c.push(eb('tickets.state', 'in', f.states));
    if (f.kind) c.push(eb('tickets.kind', '=', f.kind));
    if (f.classPrefix)
      c.push(eb.or([eb('tickets.class_code', '=', f.classPrefix), eb('tickets.class_code', 'like', `${f.classPrefix}.%`)]));
    if (f.channel) c.push(eb('tickets.channel', '=', f.channel));
    if (f.unitPath)
      c.push(
        eb('tickets.unit_id', 'in', eb.selectFrom('org_units').select('org_units.id').where('org_units.path', 'like', `${f.unitPath}%`)),
      );
    if (f.grade) c.push(eb('tickets.grade', '=', f.grade));
    for (const flag of f.flags ?? []) c.push(eb(`tickets.${FLAG_COLUMNS[flag]}`, '=', 1));
    if (f.warned !== undefined) c.push(eb('tickets.warned', '=', f.warned ? 1 : 0));
    if (f.overdue !== undefined) c.push(eb('tickets.overdue', '=', f.overdue ? 1 : 0));
    if (f.dueBefore) c.push(eb('tickets.next_due_at', '<', f.dueBefore));
    if (f.createdFrom) c.push(eb('tickets.created_at', '>=', f.createdFrom));
    if (f.createdTo) c.push(eb('tickets.created_at', '<', f.createdTo));
    if (f.customerPhone) c.push(eb('tickets.customer_phone', '=', f.customerPhone));
    if (f.customerAccount) c.push(eb('tickets.customer_account', '=', f.customerAccount));
    if (f.customerId) c.push(eb('tickets.customer_id', '=', f.customerId));
    if (f.number) c.push(eb('tickets.number', '=', f.number));
    if (f.verification !== undefined)
      c.push(f.verification === null ? eb('tickets.verification', 'is', null) : eb('tickets.verification', '=', f.verification));
    if (f.rootCause !== undefined)
      c.push(f.rootCause === null ? eb('tickets.root_cause', 'is', null) : eb('tickets.root_cause', '=', f.rootCause));
    if (f.areaType)
      c.push(
        eb(
          eb.fn.coalesce('tickets.unit_id', 'tickets.company_id'),
          'in',
          eb.selectFrom('org_units').select('org_units.id').where('org_units.area_type', '=', f.areaType),
        ),
      );
    if (f.ownUnitId) c.push(eb(eb.fn.coalesce('tickets.unit_id', 'tickets.company_id'), '=', f.ownUnitId));
    if (f.textMatch) c.push(sql<boolean>`tickets.id in (${f.textMatch})`);
    return eb.and(c);
  }

  /**
   * A page of orders in scope. The due sort runs in two phases so that both stay on an index: first the orders
   * with a running deadline by next_due_at, then the rest by id.
   */
  async list(
    scope: Scope,
    filter: TicketFilter,
    sort: SortKey,
    limit: number,
    cursor: Cursor | null,
    q: Q = this.db,
  ): Promise<{ rows: Ticket[]; next: Cursor | null }> {
    const base = () =>
      q
        .selectFrom('tickets')
        .selectAll()
        .where((eb) => this.scoped(eb, scope))
        .where((eb) => this.applyFilter(eb, filter));
    const rows: Ticket[] = [];
    if (sort === 'created') {
      let query = base()
        .orderBy('tickets.created_at', 'desc')
        .orderBy('tickets.id', 'desc')
        .limit(limit + 1);
      if (cursor) {
        const v = cursor.v as string;
        query = query.where((eb) =>
          eb.or([eb('tickets.created_at', '<', v), eb.and([eb('tickets.created_at', '=', v), eb('tickets.id', '<', cursor.id)])]),
        );
      }
      rows.push(...(await query.execute()));
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { rows: page, next: more && last ? { p: 0, v: last.created_at, id: last.id } : null };
    }
    if (!cursor || cursor.p === 0) {
      let query = base()
        .where('tickets.next_due_at', 'is not', null)
        .orderBy('tickets.next_due_at')
        .orderBy('tickets.id')
        .limit(limit + 1);
      if (cursor) {
        const v = cursor.v as string;
        query = query.where((eb) =>
          eb.or([eb('tickets.next_due_at', '>', v), eb.and([eb('tickets.next_due_at', '=', v), eb('tickets.id', '>', cursor.id)])]),
        );
      }
      rows.push(...(await query.execute()));
      if (rows.length > limit) {
        const last = rows[limit - 1] as Ticket;
        return { rows: rows.slice(0, limit), next: { p: 0, v: last.next_due_at, id: last.id } };
      }
    }
    const remaining = limit - rows.length;
    let rest = base()
      .where('tickets.next_due_at', 'is', null)
      .orderBy('tickets.id', 'desc')
      .limit(remaining + 1);
    if (cursor?.p === 1) rest = rest.where('tickets.id', '<', cursor.id);
    const tail = await rest.execute();
    rows.push(...tail.slice(0, remaining));
    const last = rows.at(-1);
    return { rows, next: tail.length > remaining && last ? { p: 1, v: null, id: last.id } : null };
  }

  /** Counts per state and per flag within the scope, for the queue badges. */
  async queueCounts(scope: Scope, q: Q = this.db) {
    const byState = await q
      .selectFrom('tickets')
      .select(['tickets.state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tickets.state', '!=', 'closed')
      .where((eb) => this.scoped(eb, scope))
      .groupBy('tickets.state')
      .execute();
    const flags = await q
      .selectFrom('tickets')
      .select([
        (eb) => eb.fn.sum<number>('tickets.warned').as('warned'),
        (eb) => eb.fn.sum<number>('tickets.overdue').as('overdue'),
        (eb) => eb.fn.sum<number>('tickets.flag_supervised').as('supervised'),
      ])
      .where('tickets.state', '!=', 'closed')
      .where((eb) => this.scoped(eb, scope))
      .executeTakeFirstOrThrow();
    return {
      byState: Object.fromEntries(byState.map((r) => [r.state, Number(r.n)])),
      warned: Number(flags.warned ?? 0),
      overdue: Number(flags.overdue ?? 0),
      supervised: Number(flags.supervised ?? 0),
    };
  }

  /** Takes the next number of the day for a kind, inside the caller's transaction (gap-free: a rollback undoes it). */
  async nextNumber(kind: string, day: string, q: Q): Promise<number> {
    const r = await q
      .insertInto('number_sequences')
      .values({ kind, day, last: 1 })
      .onConflict((oc) => oc.columns(['kind', 'day']).doUpdateSet({ last: sql`number_sequences.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    return r.last;
  }

  /** Inserts an order; returns its id. */
  async insert(t: NewTicket, q: Q): Promise<number> {
    const r = await q.insertInto('tickets').values(t).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  /** Applies changes if the order is still at `version`; false when someone changed it meanwhile. */
  async updateVersioned(id: number, version: number, set: TicketUpdate, q: Q): Promise<boolean> {
    const r = await q.updateTable('tickets').set(set).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Appends an event (the unique (ticket_id, seq) makes a double append impossible). */
  async insertEvent(e: Omit<TicketEvent, 'id'>, q: Q): Promise<void> {
    await q.insertInto('ticket_events').values(e).execute();
  }

  /** The order's events in sequence. */
  events(ticketId: number, q: Q = this.db) {
    return q
      .selectFrom('ticket_events as e')
      .leftJoin('users as u', 'u.id', 'e.actor_id')
      .leftJoin('org_units as o', 'o.id', 'e.actor_unit_id')
      .selectAll('e')
      .select(['u.display_name as actor_name', 'o.name as actor_unit_name'])
      .where('e.ticket_id', '=', ticketId)
      .orderBy('e.seq')
      .execute();
  }

  /** Names of the given units and users, for the lists (two small keyed lookups instead of whole tables). */
  async names(unitIds: number[], userIds: number[], q: Q = this.db): Promise<{ units: Map<number, string>; users: Map<number, string> }> {
    const [units, users] = await Promise.all([
      unitIds.length ? q.selectFrom('org_units').select(['id', 'name']).where('id', 'in', unitIds).execute() : [],
      userIds.length ? q.selectFrom('users').select(['id', 'display_name as name']).where('id', 'in', userIds).execute() : [],
    ]);
    return { units: new Map(units.map((u) => [u.id, u.name])), users: new Map(users.map((u) => [u.id, u.name])) };
  }

  /** Records that the order was dispatched to a unit (unit roles keep seeing orders once dispatched to them). */
  async addUnit(ticketId: number, unitId: number, at: string, q: Q): Promise<void> {
    await q
      .insertInto('ticket_units')
      .values({ ticket_id: ticketId, unit_id: unitId, first_at: at })
      .onConflict((oc) => oc.columns(['ticket_id', 'unit_id']).doNothing())
      .execute();
  }

  async addExclusions(ticketId: number, rows: Array<{ unit_id: number | null; user_id: number | null }>, q: Q): Promise<void> {
    if (rows.length)
      await q
        .insertInto('ticket_exclusions')
        .values(rows.map((r) => ({ ...r, ticket_id: ticketId })))
        .execute();
  }

  /** Paths of the units an integrity report names. */
  async excludedUnitPaths(ticketId: number, q: Q = this.db): Promise<string[]> {
    const rows = await q
      .selectFrom('ticket_exclusions as x')
      .innerJoin('org_units as u', 'u.id', 'x.unit_id')
      .select('u.path')
      .where('x.ticket_id', '=', ticketId)
      .execute();
    return rows.map((r) => r.path);
  }

  exclusions(ticketId: number, q: Q = this.db) {
    return q.selectFrom('ticket_exclusions').select(['unit_id', 'user_id']).where('ticket_id', '=', ticketId).execute();
  }

  async insertIdentity(
    row: { ticket_id: number; ciphertext: string; iv: string; tag: string; created_by: number | null },
    q: Q,
  ): Promise<void> {
    await q.insertInto('ticket_identities').values(row).execute();
  }

  identity(ticketId: number, q: Q = this.db) {
    return q.selectFrom('ticket_identities').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
  }

  async logReveal(row: { ticket_id: number; user_id: number; reason: string; at: string }, q: Q = this.db): Promise<void> {
    await q.insertInto('identity_reveals').values(row).execute();
  }

  reveals(ticketId: number, q: Q = this.db) {
    return q
      .selectFrom('identity_reveals as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select(['r.id', 'r.user_id', 'u.display_name', 'r.reason', 'r.at'])
      .where('r.ticket_id', '=', ticketId)
      .orderBy('r.id')
      .execute();
  }

  async addLink(
    row: { ticket_id: number; other_id: number; kind: string; created_by: number | null; created_at: string },
    q: Q,
  ): Promise<void> {
    await q.insertInto('ticket_links').values(row).execute();
  }

  /** Links in both directions with the other order's number and state. */
  links(ticketId: number, q: Q = this.db) {
    return q
      .selectFrom('ticket_links as l')
      .innerJoin('tickets as o', (j) =>
        j.on((eb) =>
          eb.or([
            eb.and([eb('l.ticket_id', '=', ticketId), eb('o.id', '=', eb.ref('l.other_id'))]),
            eb.and([eb('l.other_id', '=', ticketId), eb('o.id', '=', eb.ref('l.ticket_id'))]),
          ]),
        ),
      )
      .select(['l.id', 'l.kind', 'l.ticket_id', 'l.other_id', 'l.created_at', 'o.id as order_id', 'o.number', 'o.state', 'o.subject'])
      .where((eb) => eb.or([eb('l.ticket_id', '=', ticketId), eb('l.other_id', '=', ticketId)]))
      .orderBy('l.id')
      .execute();
  }

  /** Earlier orders of the same customer and class within the window (repeat detection, DESIGN §3.4). */
  async recentSameClass(customerId: number, classCode: string, since: string, q: Q) {
    return q
      .selectFrom('tickets')
      .select(['id', 'number', 'created_at'])
      .where('customer_id', '=', customerId)
      .where('class_code', '=', classCode)
      .where('created_at', '>=', since)
      .orderBy('created_at', 'desc')
      .execute();
  }

  async findIdempotency(actorKey: string, key: string, q: Q = this.db) {
    return q.selectFrom('idempotency_keys').selectAll().where('actor_key', '=', actorKey).where('key', '=', key).executeTakeFirst();
  }

  async insertIdempotency(
    row: { actor_key: string; key: string; body_hash: string; ticket_id: number; created_at: string },
    q: Q,
  ): Promise<void> {
    await q.insertInto('idempotency_keys').values(row).execute();
  }

  /** Finds or creates the customer by phone or account number within the company. */
  async matchCustomer(
    companyId: number,
    c: { name: string | null; phone: string | null; account: string | null },
    at: string,
    q: Q,
  ): Promise<number | null> {
    if (!c.phone && !c.account) return null;
    const existing = await q
      .selectFrom('customers')
      .selectAll()
      .where('company_id', '=', companyId)
      .where((eb) => eb.or([...(c.account ? [eb('account_no', '=', c.account)] : []), ...(c.phone ? [eb('phone', '=', c.phone)] : [])]))
      .orderBy('id')
      .executeTakeFirst();
    if (existing) {
      const set: Partial<{ name: string; phone: string; account_no: string }> = {};
      if (c.name && !existing.name) set.name = c.name;
      if (c.phone && !existing.phone) set.phone = c.phone;
      if (c.account && !existing.account_no) set.account_no = c.account;
      if (Object.keys(set).length) await q.updateTable('customers').set(set).where('id', '=', existing.id).execute();
      return existing.id;
    }
    const r = await q
      .insertInto('customers')
      .values({ company_id: companyId, name: c.name, phone: c.phone, account_no: c.account, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async insertAttachment(
    row: { ticket_id: number; sha256: string; size: number; mime: string; name: string; uploaded_by: number | null; created_at: string },
    q: Q,
  ): Promise<number> {
    const r = await q.insertInto('attachments').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  attachments(ticketId: number, q: Q = this.db) {
    return q.selectFrom('attachments').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
  }

  findAttachment(id: number, q: Q = this.db) {
    return q.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Ids of orders due for the sweeper at `now` (oldest check first). */
  dueForSweep(now: string, limit: number, q: Q = this.db) {
    return q.selectFrom('tickets').select(['id']).where('next_check_at', '<=', now).orderBy('next_check_at').limit(limit);
  }

  /** Every order id in id order, in pages (chain verification). */
  idsAfter(afterId: number, limit: number, q: Q = this.db) {
    return q
      .selectFrom('tickets')
      .select(['id', 'number', 'version', 'state', 'last_event_hash'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }
}
