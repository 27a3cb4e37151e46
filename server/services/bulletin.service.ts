import { RECTIFICATION_STATES } from '../../core/rectification.ts';
import { computeKpis, type Measures } from '../../core/stats.ts';
import { classInfo, classRoot, label, RESPONSIBILITY, ROOT_CAUSES } from '../../core/taxonomy.ts';
import { instantRange, periodName, periodRange, previousPeriod } from '../domain/stats/period.ts';
import { withheldLabel } from '../domain/visibility.ts';
import { AppError, invalidField } from '../errors.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { StatsRepository } from '../repositories/stats.repository.ts';
import type { StatsTicketRepository } from '../repositories/stats-ticket.repository.ts';
import { scopeOfViewer } from '../repositories/visibility.sql.ts';
import type { Actor } from './actor.ts';
import type { ExportSheet } from './export/table-writer.ts';
import type { RectificationService } from './rectification.service.ts';
import { casesOnly, customersOf, type StatsService } from './stats.service.ts';

const share = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

/** Ranks descending by a value (1 = highest); ties share a rank. */
function rank<T>(rows: T[], value: (r: T) => number | null): Map<T, number> {
  const sorted = [...rows].sort((a, b) => (value(b) ?? -1) - (value(a) ?? -1));
  const out = new Map<T, number>();
  sorted.forEach((r, i) => {
    const prev = sorted[i - 1];
    out.set(r, prev !== undefined && value(prev) === value(r) ? (out.get(prev) as number) : i + 1);
  });
  return out;
}

/** The monthly bulletin 通报 of one company: units ranked, causes, the month's substantiated cases, rectifications. */
export class BulletinService {
  constructor(
    private readonly stats: StatsService,
    private readonly statsRepo: StatsRepository,
    private readonly statsTickets: StatsTicketRepository,
    private readonly org: OrgRepository,
    private readonly rectifications: RectificationService,
  ) {}

  /** The bulletin as data. */
  async build(actor: Actor, q: { companyId?: number; month: string }) {
    const range = /^\d{4}-\d{2}$/.test(q.month) ? periodRange(q.month) : null;
    if (!range) throw invalidField('month', 'must be YYYY-MM');
    const companyId = q.companyId ?? actor.companyId ?? actor.unitId;
    const ctx = await this.stats.context(actor, { orgId: companyId });
    const company = ctx.root;
    if (company.kind !== 'company') throw invalidField('companyId', 'is not a company');
    const byUnit = await this.stats.run(ctx, { range, groupBy: ['org'], filter: { orgId: company.id } });
    // The causes and the substantiated cases are complaints and reports: praise is never a "case found true".
    const byClass = await this.stats.run(ctx, { range, groupBy: ['class'], classLevel: 'root', filter: casesOnly({ orgId: company.id }) });
    const prevLabel = previousPeriod(q.month) as string;
    const prev = await this.stats.run(ctx, {
      range: periodRange(prevLabel) as NonNullable<ReturnType<typeof periodRange>>,
      groupBy: [],
      filter: { orgId: company.id },
    });
    const units = byUnit.rows.filter((r) => Number(r.keys.org?.code) !== company.id || r.measures.n > 0);
    const byComplaints = rank(units, (r) => r.measures.complaints);
    const byOverdue = rank(units, (r) => r.measures.overdue);
    const bySatisfaction = rank(units, (r) => r.kpis.satisfaction_rate);
    const { fromIso, toIso } = instantRange(range);
    // A bulletin is read by units too: a report that names anyone, and any order the reader may not see, is
    // cited by count alone ("1 件举报（已保密）"), never by number or text.
    const { cases, hidden } = await this.statsTickets.substantiatedCases(company.id, { fromIso, toIso }, scopeOfViewer(actor));
    const hiddenReports = Number(hidden.find((h) => h.kind === 'report')?.n ?? 0);
    const hiddenOthers = hidden.reduce((a, h) => a + Number(h.n), 0) - hiddenReports;
    const rects = await this.rectifications.forBulletin(company.path, company.id, { fromIso, toIso });
    const t = byUnit.total.measures;
    return {
      company: { id: company.id, name: company.name },
      month: q.month,
      title: `${company.name}${periodName(q.month)}客户投诉举报情况通报`,
      range,
      totals: { ...t, kpis: computeKpis(t, customersOf(company, ctx.units)) },
      previous: {
        month: prevLabel,
        n: prev.total.measures.n,
        change: t.n - prev.total.measures.n,
        changeRate: share(t.n - prev.total.measures.n, prev.total.measures.n),
      },
      units: units.map((r) => ({
        unitId: Number(r.keys.org?.code),
        unit: r.keys.org?.label ?? '',
        n: r.measures.n,
        complaints: r.measures.complaints,
        overdue: r.measures.overdue,
        returned: r.measures.returned,
        replyOnTimeRate: r.kpis.reply_on_time_rate,
        satisfactionRate: r.kpis.satisfaction_rate,
        complaintsPer10k: r.kpis.complaints_per_10k,
        rankComplaints: byComplaints.get(r) as number,
        rankOverdue: byOverdue.get(r) as number,
        rankSatisfaction: bySatisfaction.get(r) as number,
        drill: r.drill,
      })),
      classes: byClass.rows.map((r) => ({
        code: r.keys.class?.code ?? '',
        label: r.keys.class?.label ?? '',
        n: r.measures.n,
        share: share(r.measures.n, byClass.total.measures.n),
        substantiated: r.measures.substantiated,
        drill: r.drill,
      })),
      cases: cases.map((c) => ({
        id: c.id,
        number: c.number,
        unit: c.unit_name ?? '',
        class: c.class_code ? (ctx.classes.find((x) => x.code === c.class_code)?.zh ?? c.class_code) : '',
        classRoot: c.class_code ? (classRoot(c.class_code, ctx.classes)?.zh ?? '') : '',
        subject: c.subject,
        verification: c.verification === 'partly' ? '部分属实' : '属实',
        rootCause: c.root_cause ? label(ROOT_CAUSES, c.root_cause) : '',
        responsibility: c.responsibility ? label(RESPONSIBILITY, c.responsibility) : '',
      })),
      withheldCases: withheldLabel(hiddenReports, hiddenOthers),
      rectifications: rects.map((r) => ({
        id: r.id,
        number: r.number,
        unit: r.unit_name,
        problem: r.problem,
        dueAt: r.due_at,
        state: r.state,
        stateLabel: RECTIFICATION_STATES[r.state as keyof typeof RECTIFICATION_STATES]?.zh ?? r.state,
        overdue: r.overdue === 1,
        verdict: r.effect_verdict,
      })),
    };
  }

  /** The bulletin as export sheets (.xlsx / CSV). */
  sheets(b: Awaited<ReturnType<BulletinService['build']>>): ExportSheet[] {
    return [
      {
        name: '单位情况',
        columns: [
          { key: 'unit', zh: '单位', width: 18 },
          { key: 'n', zh: '工单数', type: 'int' },
          { key: 'complaints', zh: '投诉数', type: 'int' },
          { key: 'overdue', zh: '超时工单', type: 'int' },
          { key: 'returned', zh: '退单工单', type: 'int' },
          { key: 'replyOnTimeRate', zh: '回单及时率', type: 'percent' },
          { key: 'satisfactionRate', zh: '回访满意率', type: 'percent' },
          { key: 'rankComplaints', zh: '投诉量排名', type: 'int' },
          { key: 'rankOverdue', zh: '超时排名', type: 'int' },
          { key: 'rankSatisfaction', zh: '满意率排名', type: 'int' },
        ],
        rows: b.units.map(({ drill: _d, ...r }) => r),
      },
      {
        name: '分类情况',
        columns: [
          { key: 'label', zh: '分类', width: 18 },
          { key: 'n', zh: '件数', type: 'int' },
          { key: 'share', zh: '占比', type: 'percent' },
          { key: 'substantiated', zh: '属实件数', type: 'int' },
        ],
        rows: b.classes.map(({ drill: _d, ...r }) => r),
      },
      {
        name: '属实案件',
        columns: [
          { key: 'number', zh: '工单编号', width: 18 },
          { key: 'unit', zh: '责任单位', width: 16 },
          { key: 'class', zh: '分类', width: 16 },
          { key: 'subject', zh: '主题', width: 30 },
          { key: 'verification', zh: '核实结果' },
          { key: 'rootCause', zh: '问题原因', width: 16 },
          { key: 'responsibility', zh: '责任认定', width: 14 },
        ],
        rows: b.withheldCases ? [...b.cases, { number: b.withheldCases.zh }] : b.cases,
      },
      {
        name: '整改情况',
        columns: [
          { key: 'number', zh: '整改单号', width: 18 },
          { key: 'unit', zh: '整改单位', width: 16 },
          { key: 'problem', zh: '问题', width: 30 },
          { key: 'dueAt', zh: '整改期限', type: 'datetime', width: 22 },
          { key: 'stateLabel', zh: '状态', width: 16 },
        ],
        rows: b.rectifications.map((r) => ({ ...r, overdue: r.overdue ? '是' : '否' })),
      },
    ];
  }

  /** Aggregated monthly figures per company for the public page: counts by class, on-time and satisfaction rates, nothing personal. */
  async publicFigures(month: string) {
    const range = /^\d{4}-\d{2}$/.test(month) ? periodRange(month) : null;
    if (!range) throw invalidField('month', 'must be YYYY-MM');
    const units = await this.org.list();
    const companies = units.filter((u) => u.kind === 'company' && u.active === 1);
    if (companies.length === 0) throw new AppError('not_found', 'No companies');
    const rows = await this.statsRepo.query({
      grain: 'm',
      from: month,
      to: month,
      groupBy: ['company_id', 'class_code'],
      where: { companyIds: companies.map((c) => c.id) },
    });
    const byCompany = new Map<number, { m: Measures[]; classes: Map<string, number> }>();
    for (const r of rows) {
      const id = Number(r.company_id);
      const e = byCompany.get(id) ?? { m: [], classes: new Map<string, number>() };
      e.m.push(r.m);
      const root = String(r.class_code ?? '').split('.')[0] || 'unclassified';
      e.classes.set(root, (e.classes.get(root) ?? 0) + r.m.n);
      byCompany.set(id, e);
    }
    return {
      month,
      name: periodName(month),
      companies: companies.map((c) => {
        const e = byCompany.get(c.id);
        const sum = (k: keyof Measures) => (e ? e.m.reduce((s, m) => s + m[k], 0) : 0);
        return {
          name: c.name,
          orders: sum('n'),
          complaints: sum('complaints'),
          byClass: [...(e?.classes ?? [])].map(([code, n]) => ({ code, label: classInfo(code)?.zh ?? '未分类', n })),
          replyOnTimeRate: share(sum('reply_on_time'), sum('reply_due')),
          satisfactionRate: share(sum('satisfied'), sum('revisit_ok')),
          complaintsPer10k: c.customer_count > 0 ? Math.round((sum('complaints') / c.customer_count) * 10_000 * 100) / 100 : null,
        };
      }),
    };
  }
}
