import {
  addMeasures,
  CASE_KINDS,
  computeKpis,
  DIMENSION_LABELS,
  type Dimension,
  type Grain,
  KPIS,
  type Kpis,
  type Measures,
  zeroMeasures,
} from '../../core/stats.ts';
import {
  AREA_TYPES,
  CHANNELS,
  type ClassDef,
  classRoot,
  GRADES,
  KINDS,
  label,
  ROOT_CAUSES,
  VERIFICATION_RESULTS,
} from '../../core/taxonomy.ts';
import type { OrgUnit } from '../db/schema.ts';
import { shanghaiDate } from '../domain/calendar.ts';
import type { ContributingTicket } from '../domain/stats/contribution.ts';
import { bucketOf, type DateRange, instantRange, monthAligned, periodName, periodRange } from '../domain/stats/period.ts';
import { AppError, invalidField } from '../errors.ts';
import type { Clock } from '../lib/time.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import { type AggWhere, type GroupColumn, ordersAsRows, type StatsRepository } from '../repositories/stats.repository.ts';
import type { StatsTicketRepository } from '../repositories/stats-ticket.repository.ts';
import { type Actor, requirePermission } from './actor.ts';
import type { ReferenceService } from './reference.service.ts';
import type { TicketHooks } from './ticket-hooks.ts';
import { scopeOf } from './workflow.service.ts';

/** Filters on every dimension; list values are OR-ed, dimensions AND-ed. */
export interface StatsFilter {
  orgId?: number;
  kinds?: string[];
  classes?: string[];
  channels?: string[];
  areas?: string[];
  verifications?: string[];
  rootCauses?: string[];
  grades?: string[];
}

/**
 * The filter of a table of causes: the paper's tables (and the analyses of causes built on them) count complaints
 * and reports only, whatever else the filter asks; a filter for opinions, suggestions or praise alone finds none.
 */
export function casesOnly(filter: StatsFilter): StatsFilter {
  const kinds = filter.kinds?.length ? filter.kinds.filter((k) => CASE_KINDS.includes(k)) : [...CASE_KINDS];
  return { ...filter, kinds };
}

export interface StatsRequest {
  range: DateRange;
  groupBy: Dimension[];
  grain?: Grain;
  classLevel?: 'root' | 'leaf';
  /** Roll org rows up to the children of this unit (default: the filter's unit or the actor's company). */
  orgParent?: number;
  filter: StatsFilter;
}

export interface DimValue {
  code: string;
  label: string;
}

export interface StatsRow {
  keys: Partial<Record<Dimension, DimValue>>;
  measures: Measures;
  kpis: Kpis;
  /** The query string of `GET /api/v1/tickets` that lists the orders behind this row. */
  drill: Record<string, string>;
}

export interface StatsResult {
  range: DateRange & { name: string };
  groupBy: Dimension[];
  grain: Grain | null;
  dimensions: Array<{ code: Dimension; zh: string; en: string }>;
  kpiDefinitions: typeof KPIS;
  rows: StatsRow[];
  total: StatsRow;
}

/** Everything a query needs to know about the org tree and classes, loaded once per request. */
export interface StatsContext {
  units: Map<number, OrgUnit>;
  classes: ReadonlyArray<ClassDef>;
  root: OrgUnit;
  where: AggWhere;
  /** Units the actor may see statistics of. */
  visible: (u: OrgUnit) => boolean;
  /** Orders in scope that an integrity report hides from the actor: taken back out of every figure. */
  hidden: ContributingTicket[];
  /** Orders the actor sees beyond the aggregates of their scope (see `context`): added to every figure. */
  extra: ContributingTicket[];
  /** The units the request's org and area filters allow, if any. */
  filterUnits: number[] | undefined;
}

/** Parses a period label or a from/to pair of Shanghai dates into a range. */
export function resolveRange(q: { period?: string; from?: string; to?: string }, now: Date): DateRange {
  if (q.period) {
    const r = periodRange(q.period);
    if (!r) throw invalidField('period', 'use 2026, 2026-H1, 2026-Q2, 2026-05, 2026-W20 or 2026-05-04');
    return r;
  }
  if (q.from || q.to) {
    // A day label is checked like a period: 2026-02-30 is refused, not rolled over.
    if (!q.from || !periodRange(q.from) || q.from.length !== 10) throw invalidField('from', 'must be an existing day, YYYY-MM-DD');
    if (!q.to || !periodRange(q.to) || q.to.length !== 10) throw invalidField('to', 'must be an existing day, YYYY-MM-DD');
    if (q.to < q.from) throw invalidField('to', 'must not be before from');
    return { from: q.from, to: q.to };
  }
  const today = shanghaiDate(now);
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

function pct(n: number | null): string {
  return n === null ? '' : `${(n * 100).toFixed(1)}%`;
}

export { pct as formatPercent };

/**
 * Statistics over the maintained aggregates: any one or two dimensions, filters on all, roll-up
 * through the org tree and the class tree, scoped to what the actor may see, every KPI with its definition.
 */
export class StatsService {
  constructor(
    private readonly repo: StatsRepository,
    private readonly statsTickets: StatsTicketRepository,
    private readonly org: OrgRepository,
    private readonly reference: ReferenceService,
    readonly clock: Clock,
    hooks: TicketHooks,
  ) {
    // The aggregates move with every order change, inside its transaction (ticket-hooks.ts).
    hooks.add((trx, change) => this.repo.applyChange(trx, change.before, change.after));
  }

  /** The scope and lookups of a statistics request; 403 without stats.read, 404 for an org outside scope. */
  async context(actor: Actor, filter: StatsFilter): Promise<StatsContext> {
    requirePermission(actor, 'stats.read');
    const all = await this.org.list();
    const units = new Map(all.map((u) => [u.id, u]));
    const scope = scopeOf(actor);
    const visible = (u: OrgUnit) =>
      (scope.companyPath !== null && u.path.startsWith(scope.companyPath)) ||
      (scope.unitPath !== null && u.path.startsWith(scope.unitPath));
    const where: AggWhere = {};
    if (scope.companyPath !== null) {
      where.companyIds = all.filter((u) => u.kind === 'company' && visible(u)).map((u) => u.id);
    } else {
      where.orgUnitIds = all.filter(visible).map((u) => u.id);
    }
    // What the aggregates of the scope hold: the orders the list shows beyond it (an order of a company above,
    // dispatched into a unit role's subtree, or one that moved on from there) are added to the figures below.
    const inAggregate = { ...where };
    let root = units.get(scope.companyPath !== null ? (actor.companyId ?? actor.unitId) : actor.unitId) as OrgUnit;
    let filterUnits: number[] | undefined;
    if (filter.orgId !== undefined) {
      const u = units.get(filter.orgId);
      if (!u || !visible(u)) throw new AppError('not_found', `Org unit ${filter.orgId} not found`);
      root = u;
      filterUnits = subtree(all, u).map((x) => x.id);
      where.orgUnitIds = intersect(where.orgUnitIds, filterUnits);
    }
    if (filter.areas?.length) {
      const areas = new Set(filter.areas);
      const inArea = all.filter((u) => areas.has(u.area_type)).map((u) => u.id);
      filterUnits = intersect(filterUnits, inArea);
      where.orgUnitIds = intersect(where.orgUnitIds, inArea);
    }
    if (filter.kinds) where.kinds = filter.kinds;
    if (filter.classes?.length) where.classPrefixes = filter.classes;
    if (filter.channels?.length) where.channels = filter.channels;
    if (filter.verifications?.length) where.verifications = filter.verifications.map((v) => (v === 'none' ? '' : v));
    if (filter.rootCauses?.length) where.rootCauses = filter.rootCauses.map((v) => (v === 'none' ? '' : v));
    if (filter.grades?.length) where.grades = filter.grades;
    // Figures drill down to orders; one the actor may not see must not be counted either (the one visibility rule).
    const [hidden, extra] = await Promise.all([
      this.statsTickets.excludedTickets({ userId: scope.userId, homePath: scope.homePath }),
      scope.unitPath !== null ? this.statsTickets.visibleBeyond(scope, inAggregate) : [],
    ]);
    return { units, classes: await this.reference.classes(), root, where, visible, hidden, extra, filterUnits };
  }

  /** Figures grouped by up to two dimensions, with every KPI per row and a total. */
  async query(actor: Actor, req: StatsRequest): Promise<StatsResult> {
    if (req.groupBy.length > 2) throw invalidField('groupBy', 'at most two dimensions');
    if (new Set(req.groupBy).size !== req.groupBy.length) throw invalidField('groupBy', 'a dimension appears twice');
    const ctx = await this.context(actor, req.filter);
    return this.run(ctx, req);
  }

  /** The query with a prepared context (reports reuse one context for several queries). */
  async run(ctx: StatsContext, req: StatsRequest): Promise<StatsResult> {
    const grain = req.groupBy.includes('period') ? (req.grain ?? 'month') : null;
    const useMonths = monthAligned(req.range) && grain !== 'day' && grain !== 'week';
    const orgParent = req.orgParent !== undefined ? ctx.units.get(req.orgParent) : ctx.root;
    if (!orgParent || !ctx.visible(orgParent)) throw new AppError('not_found', 'Org unit not found');
    const where = { ...ctx.where };
    // A request may narrow the kinds of a context shared by several queries (a bulletin's table of causes).
    if (req.filter.kinds) where.kinds = req.filter.kinds;
    if (req.groupBy.includes('org') && orgParent !== ctx.root)
      where.orgUnitIds = intersect(
        where.orgUnitIds,
        [...ctx.units.values()].filter((u) => u.path.startsWith(orgParent.path)).map((u) => u.id),
      );
    const columns = new Set<GroupColumn>();
    for (const d of req.groupBy) columns.add(groupColumn(d));
    // The coarse monthly cube serves any query that neither groups nor filters by its collapsed columns.
    const coarse =
      useMonths &&
      !req.groupBy.some((d) => ['channel', 'grade', 'verification', 'root_cause'].includes(d)) &&
      !where.channels &&
      !where.grades &&
      !where.verifications &&
      !where.rootCauses;
    const aggQuery = {
      grain: coarse ? ('c' as const) : useMonths ? ('m' as const) : ('d' as const),
      from: useMonths ? req.range.from.slice(0, 7) : req.range.from,
      to: useMonths ? req.range.to.slice(0, 7) : req.range.to,
      groupBy: [...columns],
      where,
    };
    const extraWhere = { ...where, companyIds: undefined, orgUnitIds: ctx.filterUnits };
    const rows = [
      ...(await this.repo.query(aggQuery)),
      ...ordersAsRows(ctx.hidden, aggQuery, -1),
      ...ordersAsRows(ctx.extra, { ...aggQuery, where: extraWhere }, 1),
    ];
    const folded = new Map<string, { codes: Partial<Record<Dimension, string>>; m: Measures }>();
    for (const r of rows) {
      const codes: Partial<Record<Dimension, string>> = {};
      let skip = false;
      for (const d of req.groupBy) {
        const code = foldCode(d, r, { grain: grain ?? 'month', classLevel: req.classLevel ?? 'root', orgParent, ctx });
        if (code === null) skip = true;
        else codes[d] = code;
      }
      if (skip) continue;
      const key = req.groupBy.map((d) => codes[d]).join('\u0000');
      const cur = folded.get(key);
      if (cur) addMeasures(cur.m, r.m);
      else folded.set(key, { codes, m: addMeasures(zeroMeasures(), r.m) });
    }
    const total = zeroMeasures();
    for (const f of folded.values()) addMeasures(total, f.m);
    const rootCustomers = customersOf(ctx.root, ctx.units);
    const out: StatsRow[] = [...folded.values()]
      // A group whose only orders are hidden from the actor is no row at all.
      .filter((f) => f.m.n !== 0)
      .map((f) => {
        const keys: Partial<Record<Dimension, DimValue>> = {};
        for (const d of req.groupBy) keys[d] = { code: f.codes[d] as string, label: this.labelOf(d, f.codes[d] as string, ctx) };
        const orgCode = f.codes.org;
        const customers = orgCode ? customersOf(ctx.units.get(Number(orgCode)) as OrgUnit, ctx.units) : rootCustomers;
        return { keys, measures: f.m, kpis: computeKpis(f.m, customers), drill: drillOf(req, f.codes, orgParent.id) };
      })
      .sort((a, b) => compareRows(a, b, req.groupBy, ctx));
    return {
      range: { ...req.range, name: rangeName(req.range) },
      groupBy: req.groupBy,
      grain,
      dimensions: req.groupBy.map((d) => ({ code: d, ...DIMENSION_LABELS[d] })),
      kpiDefinitions: KPIS,
      rows: out,
      total: { keys: {}, measures: total, kpis: computeKpis(total, rootCustomers), drill: drillOf(req, {}, orgParent.id) },
    };
  }

  /** Two periods side by side, by one dimension: counts, shares, change and change rate, KPIs of both (前后对比). */
  async compare(
    actor: Actor,
    a: DateRange,
    b: DateRange,
    by: Exclude<Dimension, 'period'>,
    filter: StatsFilter,
    classLevel?: 'root' | 'leaf',
  ) {
    const ctx = await this.context(actor, filter);
    const base = { groupBy: [by] as Dimension[], filter, ...(classLevel ? { classLevel } : {}) };
    const [ra, rb] = await Promise.all([this.run(ctx, { ...base, range: a }), this.run(ctx, { ...base, range: b })]);
    const keys = new Map<string, DimValue>();
    for (const r of [...ra.rows, ...rb.rows]) {
      const k = r.keys[by] as DimValue;
      keys.set(k.code, k);
    }
    const find = (res: StatsResult, code: string) => res.rows.find((r) => r.keys[by]?.code === code);
    const share = (n: number, t: number) => (t > 0 ? Math.round((n / t) * 10_000) / 10_000 : null);
    const rows = [...keys.values()].map((k) => {
      const x = find(ra, k.code);
      const y = find(rb, k.code);
      const na = x?.measures.n ?? 0;
      const nb = y?.measures.n ?? 0;
      return {
        key: k,
        a: { count: na, share: share(na, ra.total.measures.n), kpis: x?.kpis ?? null, drill: x?.drill ?? null },
        b: { count: nb, share: share(nb, rb.total.measures.n), kpis: y?.kpis ?? null, drill: y?.drill ?? null },
        change: nb - na,
        changeRate: na > 0 ? Math.round(((nb - na) / na) * 10_000) / 10_000 : null,
      };
    });
    rows.sort((p, q) => q.a.count + q.b.count - (p.a.count + p.b.count) || p.key.code.localeCompare(q.key.code));
    const ta = ra.total.measures.n;
    const tb = rb.total.measures.n;
    return {
      by,
      a: { ...ra.range, total: ta, kpis: ra.total.kpis },
      b: { ...rb.range, total: tb, kpis: rb.total.kpis },
      change: tb - ta,
      changeRate: ta > 0 ? Math.round(((tb - ta) / ta) * 10_000) / 10_000 : null,
      rows,
      kpiDefinitions: KPIS,
    };
  }

  /** Rebuilds the aggregates from the orders (`gridvoice stats rebuild`). */
  rebuild() {
    return this.repo.rebuild();
  }

  /** The display label of a dimension value. */
  labelOf(d: Dimension, code: string, ctx: Pick<StatsContext, 'units' | 'classes'>): string {
    switch (d) {
      case 'period':
        return periodName(code);
      case 'org':
        return ctx.units.get(Number(code))?.name ?? code;
      case 'kind':
        return label(KINDS, code);
      case 'class':
        return code === '' ? '未分类' : (ctx.classes.find((c) => c.code === code)?.zh ?? code);
      case 'channel':
        return label(CHANNELS, code);
      case 'area':
        return label(AREA_TYPES, code);
      case 'verification':
        return code === '' ? '未核实' : label(VERIFICATION_RESULTS, code);
      case 'root_cause':
        return code === '' ? '未填写' : label(ROOT_CAUSES, code);
      case 'grade':
        return label(GRADES, code);
    }
  }
}

function groupColumn(d: Dimension): GroupColumn {
  switch (d) {
    case 'period':
      return 'bucket';
    case 'org':
    case 'area':
      return 'org_unit_id';
    case 'class':
      return 'class_code';
    default:
      return d;
  }
}

function foldCode(
  d: Dimension,
  r: Partial<Record<GroupColumn, string | number>>,
  o: { grain: Grain; classLevel: 'root' | 'leaf'; orgParent: OrgUnit; ctx: StatsContext },
): string | null {
  switch (d) {
    case 'period': {
      const b = String(r.bucket);
      return bucketOf(b.length === 7 ? `${b}-01` : b, o.grain);
    }
    case 'org': {
      const u = o.ctx.units.get(Number(r.org_unit_id));
      if (!u?.path.startsWith(o.orgParent.path)) return null;
      if (u.id === o.orgParent.id) return String(u.id);
      const rest = u.path.slice(o.orgParent.path.length).split('/').filter(Boolean);
      return rest[0] ?? String(u.id);
    }
    case 'area':
      return o.ctx.units.get(Number(r.org_unit_id))?.area_type ?? '';
    case 'class': {
      const c = String(r.class_code ?? '');
      if (c === '' || o.classLevel === 'leaf') return c;
      return classRoot(c, o.ctx.classes)?.code ?? c;
    }
    default:
      return String(r[d] ?? '');
  }
}

function intersect(a: number[] | undefined, b: number[]): number[] {
  if (a === undefined) return b;
  const s = new Set(b);
  return a.filter((x) => s.has(x));
}

function subtree(all: OrgUnit[], u: OrgUnit): OrgUnit[] {
  return all.filter((x) => x.path.startsWith(u.path));
}

/** Customer accounts a unit serves: its own count, else the sum of its children's (for 万户投诉率). */
export function customersOf(u: OrgUnit, units: Map<number, OrgUnit>): number {
  if (u.customer_count > 0) return u.customer_count;
  let sum = 0;
  for (const c of units.values()) if (c.parent_id === u.id) sum += customersOf(c, units);
  return sum;
}

function rangeName(r: DateRange): string {
  for (const g of ['year', 'half', 'quarter', 'month'] as const) {
    const label = bucketOf(r.from, g);
    const pr = periodRange(label);
    if (pr && pr.from === r.from && pr.to === r.to) return periodName(label);
  }
  return r.from === r.to ? r.from : `${r.from} 至 ${r.to}`;
}

/** The ticket-list query behind a row: its period, unit, class and the other keys, plus the request's filters. */
/**
 * The order-list query behind a figure. A unit row stands for its subtree (`unitId`), except the report
 * unit's own row, which holds only the orders with it and none below (e.g. a company's orders not yet
 * dispatched): that one lists exactly those (`ownUnit`).
 */
function drillOf(req: StatsRequest, codes: Partial<Record<Dimension, string>>, parentId: number): Record<string, string> {
  const range = codes.period ? (periodRange(codes.period) ?? req.range) : req.range;
  // Dates are fixed-width YYYY-MM-DD, so text order is date order.
  const from = [range.from, req.range.from].sort()[1] as string;
  const to = [range.to, req.range.to].sort()[0] as string;
  const { fromIso, toIso } = instantRange({ from, to });
  const q: Record<string, string> = { createdFrom: fromIso, createdTo: toIso, sort: 'created' };
  const single = (v: string[] | undefined) => (v && v.length === 1 ? v[0] : undefined);
  const unit = codes.org ?? (req.filter.orgId !== undefined ? String(req.filter.orgId) : undefined);
  if (codes.org === String(parentId)) q.ownUnit = codes.org;
  else if (unit) q.unitId = unit;
  const set = (k: string, v: string | undefined) => {
    if (v !== undefined && v !== '') q[k] = v;
  };
  set('class', codes.class ?? single(req.filter.classes));
  // A figure over several kinds (the cases of the paper's tables) drills to the same kinds: `kind=complaint,report`.
  set('kind', codes.kind ?? req.filter.kinds?.join(','));
  set('channel', codes.channel ?? single(req.filter.channels));
  set('grade', codes.grade ?? single(req.filter.grades));
  set('verification', codes.verification === '' ? 'none' : (codes.verification ?? single(req.filter.verifications)));
  set('rootCause', codes.root_cause === '' ? 'none' : (codes.root_cause ?? single(req.filter.rootCauses)));
  set('area', codes.area ?? single(req.filter.areas));
  return q;
}

function compareRows(a: StatsRow, b: StatsRow, dims: Dimension[], ctx: StatsContext): number {
  for (const d of dims) {
    const x = a.keys[d]?.code ?? '';
    const y = b.keys[d]?.code ?? '';
    if (x === y) continue;
    if (d === 'period') return x < y ? -1 : 1;
    if (d === 'org') return (ctx.units.get(Number(x))?.path ?? '').localeCompare(ctx.units.get(Number(y))?.path ?? '');
    if (d === 'class') {
      const ix = ctx.classes.findIndex((c) => c.code === x);
      const iy = ctx.classes.findIndex((c) => c.code === y);
      return (ix < 0 ? 9999 : ix) - (iy < 0 ? 9999 : iy);
    }
    return b.measures.n - a.measures.n || x.localeCompare(y);
  }
  return 0;
}
