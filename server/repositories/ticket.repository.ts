import { type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import { prepared, preparedBy, type SlotOf } from '../db/prepared.ts';
import type { Database, Ticket, TicketEvent, TicketUpdate } from '../db/schema.ts';
import { notExcluded, type Scope, type ScopeMatch, scopeMatch, scopeShape, slotMatch, type TEB, visibleTo } from './visibility.sql.ts';

export type { Scope } from './visibility.sql.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Every column of a new order but its id and the portal's query code, which a later step sets. */
export type NewTicketRow = Omit<Ticket, 'id' | 'query_hash'>;

/** How a new order starts: version 1, every counter and flag zero, no suspension, outcome or review yet. */
const NEW_TICKET_DEFAULTS = {
  lat: null,
  lng: null,
  anonymous: 0,
  pseudonym: null,
  external_due_at: null,
  version: 1,
  assignee_id: null,
  flag_repeat: 0,
  flag_supervised: 0,
  flag_risk: 0,
  flag_outage: 0,
  redo_count: 0,
  return_count: 0,
  urge_count: 0,
  reject_count: 0,
  contact_count: 0,
  revisit_attempts: 0,
  suspend_request: null,
  suspended_at: null,
  suspended_ms: 0,
  unit_approved_by: null,
  dispatched_at: null,
  signed_at: null,
  first_contact_at: null,
  first_contact_on_time: null,
  replied_at: null,
  reply_on_time: null,
  approved_at: null,
  promise_on_time: null,
  revisited_at: null,
  revisit_on_time: null,
  closed_at: null,
  verification: null,
  root_cause: null,
  responsibility: null,
  responsible_person: null,
  reply_text: null,
  satisfaction: null,
  close_reason: null,
  duplicate_of_id: null,
  no_phone_reason: null,
  receipt_hash: null,
  // The chain head is written once the first event, whose hash covers the order's id, exists.
  last_event_hash: 'pending',
} satisfies Partial<NewTicketRow>;

/** A new order's row: the defaults above with what this order has (which may override any of them). */
export function newTicketRow(fields: Omit<NewTicketRow, keyof typeof NEW_TICKET_DEFAULTS> & Partial<NewTicketRow>): NewTicketRow {
  // Object.assign, not spreads: V8 copies a spread that overrides earlier keys one slow step at a time (~100 µs here).
  return Object.assign({}, NEW_TICKET_DEFAULTS, fields);
}

export interface TicketFilter {
  states?: string[];
  /** Any of these kinds (an empty list matches nothing). */
  kinds?: string[];
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

// The statements of intake and the order detail, compiled once (see prepared.ts).
const FIND = prepared((db, p: SlotOf<{ id: number }>) => db.selectFrom('tickets').selectAll().where('id', '=', p('id')));
const FIND_SCOPED = preparedBy((shape, db, p: SlotOf<ScopeMatch & { id: number }>) =>
  db
    .selectFrom('tickets')
    .selectAll()
    .where('tickets.id', '=', p('id'))
    .where((eb) => visibleTo(eb, slotMatch(shape, p))),
);
const NEXT_NUMBER = prepared((db, p: SlotOf<{ kind: string; day: string }>) =>
  db
    .insertInto('number_sequences')
    .values({ kind: p('kind'), day: p('day'), last: 1 })
    .onConflict((oc) => oc.columns(['kind', 'day']).doUpdateSet({ last: sql`number_sequences.last + 1` }))
    .returning('last'),
);
// Keyed by the row's columns in order (every caller passes a whole NewTicketRow, so in practice one shape).
const INSERT_TICKET = preparedBy((columns, db, p: SlotOf<Record<string, unknown>>) =>
  db
    .insertInto('tickets')
    .values(Object.fromEntries(columns.split(',').map((c) => [c, p(c)])) as unknown as NewTicketRow)
    .returning('id'),
);
const SET_HEAD = prepared((db, p: SlotOf<{ id: number; hash: string }>) =>
  db
    .updateTable('tickets')
    .set({ last_event_hash: p('hash') })
    .where('id', '=', p('id')),
);
const INSERT_EVENT = prepared((db, p: SlotOf<Omit<TicketEvent, 'id'>>) =>
  db.insertInto('ticket_events').values({
    ticket_id: p('ticket_id'),
    seq: p('seq'),
    action: p('action'),
    actor_id: p('actor_id'),
    actor_unit_id: p('actor_unit_id'),
    from_state: p('from_state'),
    to_state: p('to_state'),
    input: p('input'),
    at: p('at'),
    prev_hash: p('prev_hash'),
    hash: p('hash'),
    state_digest: p('state_digest'),
  }),
);
const EVENTS = prepared((db, p: SlotOf<{ id: number }>) =>
  db
    .selectFrom('ticket_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .leftJoin('org_units as o', 'o.id', 'e.actor_unit_id')
    .selectAll('e')
    .select(['u.display_name as actor_name', 'o.name as actor_unit_name'])
    .where('e.ticket_id', '=', p('id'))
    .orderBy('e.seq'),
);
const EXCLUDED_UNIT_PATHS = prepared((db, p: SlotOf<{ id: number }>) =>
  db
    .selectFrom('ticket_exclusions as x')
    .innerJoin('org_units as u', 'u.id', 'x.unit_id')
    .select('u.path')
    .where('x.ticket_id', '=', p('id')),
);
const EXCLUSIONS = prepared((db, p: SlotOf<{ id: number }>) =>
  db.selectFrom('ticket_exclusions').select(['unit_id', 'user_id']).where('ticket_id', '=', p('id')),
);
const INSERT_LINK = prepared(
  (db, p: SlotOf<{ ticket_id: number; other_id: number; kind: string; created_by: number | null; created_at: string }>) =>
    db.insertInto('ticket_links').values({
      ticket_id: p('ticket_id'),
      other_id: p('other_id'),
      kind: p('kind'),
      created_by: p('created_by'),
      created_at: p('created_at'),
    }),
);
// The other order of each link, only when the reader may see it (a link never reveals a hidden order).
const LINKS = preparedBy((shape, db, p: SlotOf<ScopeMatch & { id: number }>) =>
  db
    .selectFrom('ticket_links as l')
    .innerJoin('tickets', (j) =>
      j.on((eb) =>
        eb.or([
          eb.and([eb('l.ticket_id', '=', p('id')), eb('tickets.id', '=', eb.ref('l.other_id'))]),
          eb.and([eb('l.other_id', '=', p('id')), eb('tickets.id', '=', eb.ref('l.ticket_id'))]),
        ]),
      ),
    )
    .select([
      'l.id',
      'l.kind',
      'l.ticket_id',
      'l.other_id',
      'l.created_at',
      'tickets.id as order_id',
      'tickets.number',
      'tickets.state',
      'tickets.subject',
    ])
    .where((eb) => eb.or([eb('l.ticket_id', '=', p('id')), eb('l.other_id', '=', p('id'))]))
    .where((eb) => visibleTo(eb as unknown as TEB, slotMatch(shape, p)))
    .orderBy('l.id'),
);
const RECENT_ORDERS = prepared((db, p: SlotOf<{ customerId: number; since: string }>) =>
  db
    .selectFrom('tickets')
    .select(['id', 'number', 'class_code', 'created_at'])
    .where('customer_id', '=', p('customerId'))
    .where('created_at', '>=', p('since'))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc'),
);
const FIND_IDEMPOTENCY = prepared((db, p: SlotOf<{ actorKey: string; key: string }>) =>
  db.selectFrom('idempotency_keys').selectAll().where('actor_key', '=', p('actorKey')).where('key', '=', p('key')),
);
const INSERT_IDEMPOTENCY = prepared(
  (db, p: SlotOf<{ actor_key: string; key: string; body_hash: string; ticket_id: number; created_at: string }>) =>
    db.insertInto('idempotency_keys').values({
      actor_key: p('actor_key'),
      key: p('key'),
      body_hash: p('body_hash'),
      ticket_id: p('ticket_id'),
      created_at: p('created_at'),
    }),
);
const ATTACHMENTS = prepared((db, p: SlotOf<{ id: number }>) =>
  db.selectFrom('attachments').selectAll().where('ticket_id', '=', p('id')).orderBy('id'),
);
// The lowest id among the customers with this account or this phone: each arm is one indexed lookup
// (an OR over the two columns made SQLite walk every customer of the company).
const MATCH_CUSTOMER = preparedBy((shape, db, p: SlotOf<{ companyId: number; account: string; phone: string }>) => {
  const by = (column: 'account_no' | 'phone', value: string) =>
    db.selectFrom('customers').select('id').where('company_id', '=', p('companyId')).where(column, '=', value);
  const arms =
    shape === 'ap'
      ? by('account_no', p('account')).unionAll(by('phone', p('phone')))
      : shape === 'a'
        ? by('account_no', p('account'))
        : by('phone', p('phone'));
  return db
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', (eb) => eb.selectFrom(arms.as('m')).select((e) => e.fn.min('m.id').as('id')));
});
const INSERT_CUSTOMER = prepared(
  (db, p: SlotOf<{ company_id: number; name: string | null; phone: string | null; account_no: string | null; created_at: string }>) =>
    db
      .insertInto('customers')
      .values({ company_id: p('company_id'), name: p('name'), phone: p('phone'), account_no: p('account_no'), created_at: p('created_at') })
      .returning('id'),
);

/** Work orders, their events and satellite rows. Scoping is SQL here, never a filter after loading. */
export class TicketRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The visibility predicate for the actor's scope. */
  scoped(eb: TEB, scope: Scope) {
    return visibleTo(eb, scopeMatch(scope));
  }

  /**
   * The visibility of a scope for lists, as one or two predicates over literal unit or company ids, so that the
   * planner can walk a (unit or company, state, deadline) index: a company's orders for centre roles; for unit
   * roles the orders with a unit of the subtree now, and those that have moved on from one (ticket_units.moved_on),
   * outside those companies (an order of a company above may be dispatched into the subtree). Integrity-report
   * exclusions apply to all.
   */
  private async listBranches(scope: Scope, q: Q): Promise<Array<(eb: TEB) => Expression<SqlBool>>> {
    const m = scopeMatch(scope);
    const excluded = (eb: TEB) => notExcluded(eb, m);
    const branches: Array<(eb: TEB) => Expression<SqlBool>> = [];
    let companyIds: number[] = [];
    if (scope.companyPath !== null) {
      const rows = await q
        .selectFrom('org_units')
        .select('id')
        .where('kind', '=', 'company')
        .where('path', 'like', `${scope.companyPath}%`)
        .execute();
      companyIds = rows.map((r) => r.id);
      if (companyIds.length) branches.push((eb) => eb.and([eb('tickets.company_id', 'in', companyIds), excluded(eb)]));
    }
    if (scope.unitPath !== null) {
      const ids = (await q.selectFrom('org_units').select('id').where('path', 'like', `${scope.unitPath}%`).execute()).map((r) => r.id);
      // A user with centre and unit roles also sees what was dispatched to their unit from a company above theirs;
      // the company branch has the rest, so the branches still never share an order.
      const outsideCompanies = (eb: TEB) => (companyIds.length ? eb('tickets.company_id', 'not in', companyIds) : sql<boolean>`1 = 1`);
      if (ids.length)
        branches.push(
          (eb) => eb.and([eb('tickets.unit_id', 'in', ids), outsideCompanies(eb), excluded(eb)]),
          (eb) =>
            eb.and([
              eb(
                'tickets.id',
                'in',
                eb.selectFrom('ticket_units as tu').select('tu.ticket_id').where('tu.moved_on', '=', 1).where('tu.unit_id', 'in', ids),
              ),
              eb.or([eb('tickets.unit_id', 'is', null), eb('tickets.unit_id', 'not in', ids)]),
              outsideCompanies(eb),
              excluded(eb),
            ]),
        );
    }
    return branches.length ? branches : [(_eb: TEB) => sql<boolean>`1 = 0`];
  }

  /** Marks the unit an order has left as moved on, and the unit it has come to (back) as current. */
  async moveUnit(ticketId: number, from: number | null, to: number | null, q: Q): Promise<void> {
    if (from !== null)
      await q.updateTable('ticket_units').set({ moved_on: 1 }).where('ticket_id', '=', ticketId).where('unit_id', '=', from).execute();
    if (to !== null)
      await q.updateTable('ticket_units').set({ moved_on: 0 }).where('ticket_id', '=', ticketId).where('unit_id', '=', to).execute();
  }

  /** One order if the scope may see it. */
  async findScoped(id: number, scope: Scope, q: Q = this.db): Promise<Ticket | undefined> {
    const m = scopeMatch(scope);
    return (await FIND_SCOPED(scopeShape(m), q, { id, ...m })).rows[0];
  }

  /** Those of the given orders (by id or by number) the scope may see. */
  async visibleAmong(
    ids: readonly number[],
    numbers: readonly string[],
    scope: Scope,
    q: Q = this.db,
  ): Promise<{ ids: Set<number>; numbers: Set<string> }> {
    if (ids.length === 0 && numbers.length === 0) return { ids: new Set(), numbers: new Set() };
    const rows = await q
      .selectFrom('tickets')
      .select(['tickets.id', 'tickets.number'])
      .where((eb) =>
        eb.or([
          ...(ids.length ? [eb('tickets.id', 'in', [...ids])] : []),
          ...(numbers.length ? [eb('tickets.number', 'in', [...numbers])] : []),
        ]),
      )
      .where((eb) => this.scoped(eb, scope))
      .execute();
    return { ids: new Set(rows.map((r) => r.id)), numbers: new Set(rows.map((r) => r.number)) };
  }

  /** One order regardless of scope (jobs and system use only). */
  async find(id: number, q: Q = this.db): Promise<Ticket | undefined> {
    return (await FIND(q, { id })).rows[0];
  }

  private applyFilter(eb: TEB, f: TicketFilter) {
    const c = [];
    if (f.states?.length) c.push(eb('tickets.state', 'in', f.states));
    if (f.kinds) c.push(f.kinds.length ? eb('tickets.kind', 'in', f.kinds) : eb.val(false));
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
   * The orders of a list filter in a scope, as one query per visibility branch (the branches never share an order):
   * the one WHERE that the list's pages and its total are both built from.
   */
  private async matching(scope: Scope, filter: TicketFilter, q: Q) {
    const branches = await this.listBranches(scope, q);
    return branches.map((visible) =>
      q
        .selectFrom('tickets')
        .where((eb) => visible(eb))
        .where((eb) => this.applyFilter(eb, filter)),
    );
  }

  /**
   * How many orders in scope match a list filter, counting at most `cap + 1` per branch (a LIMITed subquery, so a
   * broad filter over a million orders stops early): `capped` when there are more than `cap`, `n` then being `cap`.
   */
  async countMatching(scope: Scope, filter: TicketFilter, cap: number, q: Q = this.db): Promise<{ n: number; capped: boolean }> {
    let n = 0;
    for (const base of await this.matching(scope, filter, q)) {
      const r = await q
        .selectFrom(
          base
            .select('tickets.id')
            .limit(cap + 1)
            .as('m'),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      n += Number(r.n);
      if (n > cap) break;
    }
    return n > cap ? { n: cap, capped: true } : { n, capped: false };
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
    const matching = await this.matching(scope, filter, q);
    // Each branch is a plain query the planner can answer from a (unit or company, state, deadline) index; the
    // pages of the branches are merged here (they never share an order).
    const fetch = async (
      build: (qb: SelectQueryBuilder<Database, 'tickets', Ticket>) => SelectQueryBuilder<Database, 'tickets', Ticket>,
      order: (a: Ticket, b: Ticket) => number,
    ): Promise<Ticket[]> => {
      const parts: Ticket[][] = [];
      for (const base of matching) parts.push(await build(base.selectAll()).execute());
      return parts.length === 1 ? (parts[0] as Ticket[]) : parts.flat().sort(order);
    };
    const rows: Ticket[] = [];
    if (sort === 'created') {
      const found = await fetch(
        (qb) => {
          let query = qb
            .orderBy('tickets.created_at', 'desc')
            .orderBy('tickets.id', 'desc')
            .limit(limit + 1);
          if (cursor) {
            const v = cursor.v as string;
            query = query.where((eb) =>
              eb.or([eb('tickets.created_at', '<', v), eb.and([eb('tickets.created_at', '=', v), eb('tickets.id', '<', cursor.id)])]),
            );
          }
          return query;
        },
        (a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id),
      );
      rows.push(...found.slice(0, limit + 1));
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { rows: page, next: more && last ? { p: 0, v: last.created_at, id: last.id } : null };
    }
    if (!cursor || cursor.p === 0) {
      const found = await fetch(
        (qb) => {
          let query = qb
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
          return query;
        },
        (a, b) =>
          (a.next_due_at as string) < (b.next_due_at as string)
            ? -1
            : (a.next_due_at as string) > (b.next_due_at as string)
              ? 1
              : a.id - b.id,
      );
      rows.push(...found.slice(0, limit + 1));
      if (rows.length > limit) {
        const last = rows[limit - 1] as Ticket;
        return { rows: rows.slice(0, limit), next: { p: 0, v: last.next_due_at, id: last.id } };
      }
    }
    const remaining = limit - rows.length;
    const tail = (
      await fetch(
        (qb) => {
          const rest = qb
            .where('tickets.next_due_at', 'is', null)
            .orderBy('tickets.id', 'desc')
            .limit(remaining + 1);
          return cursor?.p === 1 ? rest.where('tickets.id', '<', cursor.id) : rest;
        },
        (a, b) => b.id - a.id,
      )
    ).slice(0, remaining + 1);
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

  /**
   * Orders in scope matching a list filter, counted per unit they sit with (the unit, or the company while not
   * dispatched): the same filter and visibility as the list, so a figure built from it equals its drill-down.
   */
  async countByUnit(scope: Scope, filter: TicketFilter, q: Q = this.db): Promise<Array<{ unitId: number; n: number }>> {
    const rows = await q
      .selectFrom('tickets')
      .select([(eb) => eb.fn.coalesce('tickets.unit_id', 'tickets.company_id').as('unit'), (eb) => eb.fn.countAll<number>().as('n')])
      .where((eb) => this.scoped(eb, scope))
      .where((eb) => this.applyFilter(eb, filter))
      .groupBy((eb) => eb.fn.coalesce('tickets.unit_id', 'tickets.company_id'))
      .execute();
    return rows.map((r) => ({ unitId: Number(r.unit), n: Number(r.n) }));
  }

  /** Takes the next number of the day for a kind, inside the caller's transaction (gap-free: a rollback undoes it). */
  async nextNumber(kind: string, day: string, q: Q): Promise<number> {
    const r = await NEXT_NUMBER(q, { kind, day });
    return (r.rows[0] as { last: number }).last;
  }

  /** Inserts an order; returns its id. */
  async insert(t: NewTicketRow, q: Q): Promise<number> {
    const r = await INSERT_TICKET(Object.keys(t).join(','), q, t);
    return (r.rows[0] as { id: number }).id;
  }

  /** Points the order at the head of its event chain. */
  async setHead(id: number, hash: string, q: Q): Promise<void> {
    await SET_HEAD(q, { id, hash });
  }

  /** Applies changes if the order is still at `version`; false when someone changed it meanwhile. */
  async updateVersioned(id: number, version: number, set: TicketUpdate, q: Q): Promise<boolean> {
    const r = await q.updateTable('tickets').set(set).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Appends an event (the unique (ticket_id, seq) makes a double append impossible). */
  async insertEvent(e: Omit<TicketEvent, 'id'>, q: Q): Promise<void> {
    await INSERT_EVENT(q, e);
  }

  /** The order's events in sequence. */
  async events(ticketId: number, q: Q = this.db) {
    return (await EVENTS(q, { id: ticketId })).rows;
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
    return (await EXCLUDED_UNIT_PATHS(q, { id: ticketId })).rows.map((r) => r.path);
  }

  async exclusions(ticketId: number, q: Q = this.db) {
    return (await EXCLUSIONS(q, { id: ticketId })).rows;
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
    await INSERT_LINK(q, row);
  }

  /** Links in both directions with the other order's number and state, for the orders the scope may see. */
  async links(ticketId: number, scope: Scope, q: Q = this.db) {
    const m = scopeMatch(scope);
    return (await LINKS(scopeShape(m), q, { id: ticketId, ...m })).rows;
  }

  /** The customer's orders since `since`, newest first (repeat detection and escalation risk). */
  async recentOrders(customerId: number, since: string, q: Q) {
    return (await RECENT_ORDERS(q, { customerId, since })).rows;
  }

  async findIdempotency(actorKey: string, key: string, q: Q = this.db) {
    return (await FIND_IDEMPOTENCY(q, { actorKey, key })).rows[0];
  }

  async insertIdempotency(
    row: { actor_key: string; key: string; body_hash: string; ticket_id: number; created_at: string },
    q: Q,
  ): Promise<void> {
    await INSERT_IDEMPOTENCY(q, row);
  }

  /** Finds (the oldest by id) or creates the customer by phone or account number within the company; `created` if new. */
  async matchCustomer(
    companyId: number,
    c: { name: string | null; phone: string | null; account: string | null },
    at: string,
    q: Q,
  ): Promise<{ id: number; created: boolean } | null> {
    if (!c.phone && !c.account) return null;
    const shape = `${c.account ? 'a' : ''}${c.phone ? 'p' : ''}`;
    const existing = (await MATCH_CUSTOMER(shape, q, { companyId, account: c.account ?? '', phone: c.phone ?? '' })).rows[0];
    if (existing) {
      const set: Partial<{ name: string; phone: string; account_no: string }> = {};
      if (c.name && !existing.name) set.name = c.name;
      if (c.phone && !existing.phone) set.phone = c.phone;
      if (c.account && !existing.account_no) set.account_no = c.account;
      if (Object.keys(set).length) await q.updateTable('customers').set(set).where('id', '=', existing.id).execute();
      return { id: existing.id, created: false };
    }
    const r = await INSERT_CUSTOMER(q, { company_id: companyId, name: c.name, phone: c.phone, account_no: c.account, created_at: at });
    return { id: (r.rows[0] as { id: number }).id, created: true };
  }

  async insertAttachment(
    row: { ticket_id: number; sha256: string; size: number; mime: string; name: string; uploaded_by: number | null; created_at: string },
    q: Q,
  ): Promise<number> {
    const r = await q.insertInto('attachments').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  async attachments(ticketId: number, q: Q = this.db) {
    return (await ATTACHMENTS(q, { id: ticketId })).rows;
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
