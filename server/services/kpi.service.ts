import type { Kysely } from 'kysely';
import { COCKPIT_KPIS, isTargetKpi, KPI_FORMULAS, TARGET_KPIS, targetMet, targetProblem } from '../../core/kpi.ts';
import { can } from '../../core/permissions.ts';
import { KPIS, type Kpis, type Measures } from '../../core/stats.ts';
import { CHANNELS, label } from '../../core/taxonomy.ts';
import type { Database, OrgUnit } from '../db/schema.ts';
import { addDays } from '../domain/calendar.ts';
import { type DateRange, periodName, periodRange, previousPeriod } from '../domain/stats/period.ts';
import { AppError, invalidField } from '../errors.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { KpiTargetRepository } from '../repositories/kpi-target.repository.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { TicketListRepository } from '../repositories/ticket-list.repository.ts';
import { type Actor, requirePermission } from './actor.ts';
import type { SearchService } from './search.service.ts';
import { customersOf, type StatsService } from './stats.service.ts';
import { type ListParams, ticketFilterOf } from './ticket-filter.ts';
import { scopeOf } from './workflow.service.ts';

/** A drill-down: the query string of GET /api/v1/tickets that lists the orders behind a figure. */
type Drill = Record<string, string>;

export interface EffectiveTarget {
  target: number;
  unitId: number;
  unitName: string;
  updatedAt: string;
}

const REGULATOR_CHANNELS = ['regulator_12398', 'gov_12345'] as const;

/** The period label (year, half, quarter or month) a range is exactly, or null for a custom range. */
function labelOf(r: DateRange): string | null {
  const y = r.from.slice(0, 4);
  const m = Number(r.from.slice(5, 7));
  for (const label of [y, `${y}-H${m <= 6 ? 1 : 2}`, `${y}-Q${Math.ceil(m / 3)}`, r.from.slice(0, 7)]) {
    const pr = periodRange(label);
    if (pr && pr.from === r.from && pr.to === r.to) return label;
  }
  return null;
}

/** The range of equal length just before a range: the previous month, quarter, half-year or year, or as many days. */
export function previousRange(r: DateRange): DateRange {
  const label = labelOf(r);
  if (label) return periodRange(previousPeriod(label) as string) as DateRange;
  const days = Math.round((Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / 86_400_000) + 1;
  return { from: addDays(r.from, -days), to: addDays(r.from, -1) };
}

function rangeLabel(r: DateRange): string {
  const label = labelOf(r);
  if (label) return periodName(label);
  return r.from === r.to ? r.from : `${r.from} 至 ${r.to}`;
}

/**
 * KPI targets (set by administrators per unit, every change kept), the KPI page (every KPI with its definition,
 * formula parts, previous period and target) and the leader cockpit. Figures come from the statistics service,
 * counts of open orders from the order list's own filter, so that each figure equals its drill-down.
 */
export class KpiService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: KpiTargetRepository,
    private readonly org: OrgRepository,
    private readonly tickets: TicketListRepository,
    private readonly search: SearchService,
    private readonly stats: StatsService,
    private readonly clock: Clock,
  ) {}

  /** The units the actor works in: their company's subtree (or their own unit's). */
  private async scopeUnits(actor: Actor): Promise<{ all: OrgUnit[]; base: OrgUnit; inScope: (u: OrgUnit) => boolean }> {
    const all = await this.org.list();
    const basePath = actor.companyPath ?? actor.unitPath;
    const base = all.find((u) => u.path === basePath) ?? (all.find((u) => u.id === actor.unitId) as OrgUnit);
    return { all, base, inScope: (u) => u.path.startsWith(basePath) };
  }

  /** The target in force for a unit: its own, else the nearest unit above it with one. */
  private effective(unit: OrgUnit, all: OrgUnit[], rows: Array<{ kpi: string; org_unit_id: number; target: number; updated_at: string }>) {
    const byId = new Map(all.map((u) => [u.id, u]));
    const out = new Map<string, EffectiveTarget>();
    // Ancestors from the unit upwards: the path lists them root first.
    const chain = unit.path.split('/').filter(Boolean).map(Number).reverse();
    for (const code of TARGET_KPIS) {
      for (const id of chain) {
        const row = rows.find((r) => r.kpi === code && r.org_unit_id === id);
        if (row) {
          out.set(code, { target: row.target, unitId: id, unitName: byId.get(id)?.name ?? String(id), updatedAt: row.updated_at });
          break;
        }
      }
    }
    return out;
  }

  /** Targets in force for a unit (default: the actor's company), with where each comes from. */
  async targets(actor: Actor, orgUnitId?: number) {
    if (!can(actor.roles, 'admin.kpi') && !can(actor.roles, 'stats.read'))
      throw new AppError('forbidden', 'Missing permission stats.read', { permission: 'stats.read' });
    const { all, base, inScope } = await this.scopeUnits(actor);
    const unit = orgUnitId === undefined ? base : all.find((u) => u.id === orgUnitId);
    if (!unit || !inScope(unit)) throw invalidField('orgUnitId', 'no such unit in your scope');
    const eff = this.effective(unit, all, await this.repo.list());
    return {
      unit: { id: unit.id, name: unit.name },
      items: TARGET_KPIS.map((code) => {
        const def = KPIS.find((k) => k.code === code) as (typeof KPIS)[number];
        const e = eff.get(code) ?? null;
        return {
          code,
          zh: def.zh,
          en: def.en,
          unit: def.unit,
          definition: def.definition,
          better: KPI_FORMULAS[code].better,
          target: e?.target ?? null,
          own: e !== null && e.unitId === unit.id,
          from: e ? { id: e.unitId, name: e.unitName } : null,
          updatedAt: e?.updatedAt ?? null,
        };
      }),
    };
  }

  /** Sets (or with `target: null` removes) a unit's target for a KPI (admin); the change is written to the history. */
  async setTarget(actor: Actor, input: { kpi: string; orgUnitId: number; target: number | null; note: string }) {
    requirePermission(actor, 'admin.kpi');
    if (!isTargetKpi(input.kpi)) throw invalidField('kpi', 'not a KPI that takes a target');
    const kpi = input.kpi;
    if (input.target !== null) {
      const problem = targetProblem(kpi, input.target);
      if (problem) throw invalidField('target', problem);
    }
    const { all, inScope } = await this.scopeUnits(actor);
    const unit = all.find((u) => u.id === input.orgUnitId);
    if (!unit || !inScope(unit)) throw invalidField('orgUnitId', 'no such unit in your scope');
    const at = iso(this.clock());
    // The target and its history row are written together or not at all.
    await this.db.transaction().execute(async (trx) => {
      const before = await this.repo.find(kpi, unit.id, trx);
      if (input.target === null) {
        if (!before) throw new AppError('not_found', `No target for ${kpi} at unit ${unit.id}`);
        await this.repo.remove(kpi, unit.id, trx);
      } else {
        await this.repo.upsert({ kpi, org_unit_id: unit.id, target: input.target, updated_by: actor.userId, updated_at: at }, trx);
      }
      await this.repo.logChange(
        {
          kpi,
          org_unit_id: unit.id,
          old_target: before?.target ?? null,
          new_target: input.target,
          note: input.note,
          changed_by: actor.userId,
          changed_by_name: actor.displayName,
          changed_at: at,
        },
        trx,
      );
    });
    return this.targets(actor, unit.id);
  }

  /** Who changed which target when, newest first, in the actor's scope. */
  async history(actor: Actor, limit = 200) {
    requirePermission(actor, 'admin.kpi');
    const { all, inScope } = await this.scopeUnits(actor);
    const units = all.filter(inScope);
    const names = new Map(units.map((u) => [u.id, u.name]));
    const rows = await this.repo.changes(
      units.map((u) => u.id),
      limit,
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        kpi: r.kpi,
        kpiName: KPIS.find((k) => k.code === r.kpi)?.zh ?? r.kpi,
        unit: { id: r.org_unit_id, name: names.get(r.org_unit_id) ?? String(r.org_unit_id) },
        oldTarget: r.old_target,
        newTarget: r.new_target,
        note: r.note,
        changedBy: r.changed_by_name,
        changedAt: r.changed_at,
      })),
    };
  }

  /** Every KPI of a period and unit with its definition, formula parts, the previous period's figure and the target. */
  async board(actor: Actor, q: { range: DateRange; orgId?: number }) {
    const filter = q.orgId !== undefined ? { orgId: q.orgId } : {};
    const prev = previousRange(q.range);
    const [cur, before] = await Promise.all([
      this.stats.query(actor, { range: q.range, groupBy: [], filter }),
      this.stats.query(actor, { range: prev, groupBy: [], filter }),
    ]);
    const ctx = await this.stats.context(actor, filter);
    const customers = customersOf(ctx.root, ctx.units);
    const eff = this.effective(ctx.root, [...ctx.units.values()], await this.repo.list());
    const part = (m: Measures, x: keyof Measures | 'customers' | null) =>
      x === null ? null : { measure: x, value: x === 'customers' ? customers : m[x] };
    return {
      range: { ...q.range, name: rangeLabel(q.range) },
      previous: { ...prev, name: rangeLabel(prev) },
      unit: { id: ctx.root.id, name: ctx.root.name, customers },
      drill: cur.total.drill,
      items: KPIS.map((def) => {
        const f = KPI_FORMULAS[def.code];
        const value = cur.total.kpis[def.code];
        const e = eff.get(def.code) ?? null;
        return {
          code: def.code,
          zh: def.zh,
          en: def.en,
          unit: def.unit,
          definition: def.definition,
          formula: { zh: f.zh, en: f.en, num: part(cur.total.measures, f.num), den: part(cur.total.measures, f.den) },
          better: f.better,
          value,
          previous: before.total.kpis[def.code],
          target: e?.target ?? null,
          targetFrom: e ? { id: e.unitId, name: e.unitName } : null,
          met: targetMet(def.code, value, e?.target ?? null),
        };
      }),
    };
  }

  /** Orders in the actor's scope that a list query finds: the drill-down's own filter, counted. */
  private async countOf(actor: Actor, drill: Drill): Promise<number> {
    // The query string as the list route's schema would type it: unit ids are numbers there.
    const params: Record<string, string | number> = { ...drill };
    for (const k of ['unitId', 'ownUnit']) if (drill[k] !== undefined) params[k] = Number(drill[k]);
    const filter = await ticketFilterOf(params as unknown as ListParams, { org: this.org, search: this.search });
    const rows = await this.tickets.countByUnit(scopeOf(actor), filter);
    return rows.reduce((s, r) => s + r.n, 0);
  }

  /**
   * The leader cockpit (领导驾驶舱) for a month: the key KPIs against their targets and last month, a 12-month
   * trend, complaints by unit, the month's hot complaint classes, regulator-forwarded orders, open high-risk
   * orders and open overdue orders by unit. Every figure carries the order-list query that lists its orders.
   */
  async cockpit(actor: Actor, q: { month: string; orgId?: number }) {
    requirePermission(actor, 'stats.read');
    const range = periodRange(q.month);
    if (!range || q.month.length !== 7) throw invalidField('month', 'use YYYY-MM');
    const filter = q.orgId !== undefined ? { orgId: q.orgId } : {};
    const board = await this.board(actor, { range, ...(q.orgId !== undefined ? { orgId: q.orgId } : {}) });
    const ctx = await this.stats.context(actor, filter);
    const root = ctx.root;
    let first = q.month;
    for (let i = 0; i < 11; i++) first = previousPeriod(first) as string;
    const trendRange = { from: (periodRange(first) as DateRange).from, to: range.to };
    const complaint = { ...filter, kinds: ['complaint'] };
    const [trend, units, causes, regulator] = await Promise.all([
      this.stats.query(actor, { range: trendRange, groupBy: ['period'], grain: 'month', filter }),
      this.stats.query(actor, { range, groupBy: ['org'], filter: complaint }),
      this.stats.query(actor, { range, groupBy: ['class'], classLevel: 'leaf', filter: complaint }),
      this.stats.query(actor, { range, groupBy: ['channel'], filter: { ...filter, channels: [...REGULATOR_CHANNELS] } }),
    ]);
    const pick = (k: Kpis) =>
      Object.fromEntries(COCKPIT_KPIS.map((c) => [c, k[c]])) as Record<(typeof COCKPIT_KPIS)[number], number | null>;
    const months: string[] = [];
    for (let m = first; months.length < 12; m = nextMonth(m)) months.push(m);
    const unitScope: Drill = q.orgId !== undefined ? { unitId: String(q.orgId) } : {};
    const children = [...ctx.units.values()].filter((u) => u.parent_id === root.id && ctx.visible(u));
    const overdueRows = await Promise.all(
      [
        { unit: root, drill: { queue: 'overdue', ownUnit: String(root.id) } as Drill },
        ...children.map((u) => ({ unit: u, drill: { queue: 'overdue', unitId: String(u.id) } as Drill })),
      ].map(async (r) => ({ unit: { id: r.unit.id, name: r.unit.name }, n: await this.countOf(actor, r.drill), drill: r.drill })),
    );
    const highRiskDrill: Drill = { queue: 'open', flag: 'risk', ...unitScope };
    const overdueDrill: Drill = { queue: 'overdue', ...unitScope };
    return {
      month: q.month,
      name: periodName(q.month),
      previous: board.previous,
      unit: board.unit,
      kpis: COCKPIT_KPIS.map((code) => ({
        ...(board.items.find((k) => k.code === code) as (typeof board.items)[number]),
        drill: board.drill,
      })),
      orders: { n: board.items.find((k) => k.code === 'count')?.value ?? 0, drill: board.drill },
      trend: months.map((m) => {
        const row = trend.rows.find((r) => r.keys.period?.code === m);
        return { month: m, name: periodName(m), n: row?.measures.n ?? 0, kpis: row ? pick(row.kpis) : null, drill: row?.drill ?? null };
      }),
      units: units.rows
        .map((r) => ({
          unit: { id: Number(r.keys.org?.code), name: r.keys.org?.label ?? '' },
          n: r.measures.n,
          complaintsPer10k: r.kpis.complaints_per_10k,
          satisfactionRate: r.kpis.satisfaction_rate,
          drill: r.drill,
        }))
        .sort((a, b) => b.n - a.n || a.unit.name.localeCompare(b.unit.name)),
      hotCauses: causes.rows
        .filter((r) => r.keys.class?.code)
        .sort((a, b) => b.measures.n - a.measures.n)
        .slice(0, 5)
        .map((r) => ({ code: r.keys.class?.code as string, name: r.keys.class?.label ?? '', n: r.measures.n, drill: r.drill })),
      regulator: REGULATOR_CHANNELS.map((code) => {
        const row = regulator.rows.find((r) => r.keys.channel?.code === code);
        return { channel: code, name: label(CHANNELS, code), n: row?.measures.n ?? 0, drill: row?.drill ?? null };
      }),
      highRisk: { n: await this.countOf(actor, highRiskDrill), drill: highRiskDrill },
      overdue: {
        n: await this.countOf(actor, overdueDrill),
        drill: overdueDrill,
        byUnit: overdueRows.filter((r) => r.n > 0).sort((a, b) => b.n - a.n),
      },
    };
  }
}

function nextMonth(m: string): string {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}
