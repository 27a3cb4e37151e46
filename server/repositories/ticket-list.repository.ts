// The work lists: the list filter, pages in scope by due date or creation, their totals, queue badges and per-unit counts.
import { type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database, Ticket } from '../db/schema.ts';
import { notExcluded, type Scope, scopeMatch, type TEB, visibleToScope } from './visibility.sql.ts';

type Q = Kysely<Database> | Transaction<Database>;

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

/** The order lists of a scope and their counts. Scoping is SQL here, never a filter after loading. */
export class TicketListRepository {
  constructor(private readonly db: Kysely<Database>) {}

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
      .where((eb) => visibleToScope(eb, scope))
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
      .where((eb) => visibleToScope(eb, scope))
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
      .where((eb) => visibleToScope(eb, scope))
      .where((eb) => this.applyFilter(eb, filter))
      .groupBy((eb) => eb.fn.coalesce('tickets.unit_id', 'tickets.company_id'))
      .execute();
    return rows.map((r) => ({ unitId: Number(r.unit), n: Number(r.n) }));
  }

  /** Names of the given units and users, for the lists (two small keyed lookups instead of whole tables). */
  async names(unitIds: number[], userIds: number[], q: Q = this.db): Promise<{ units: Map<number, string>; users: Map<number, string> }> {
    const [units, users] = await Promise.all([
      unitIds.length ? q.selectFrom('org_units').select(['id', 'name']).where('id', 'in', unitIds).execute() : [],
      userIds.length ? q.selectFrom('users').select(['id', 'display_name as name']).where('id', 'in', userIds).execute() : [],
    ]);
    return { units: new Map(units.map((u) => [u.id, u.name])), users: new Map(users.map((u) => [u.id, u.name])) };
  }
}
