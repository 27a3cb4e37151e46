import type { Dimension } from '../../core/stats.ts';
import { addressFor, customerAccessOf, customerData } from '../domain/customer-data.ts';
import { type DateRange, instantRange, periodRange, previousPeriod } from '../domain/stats/period.ts';
import { words } from '../domain/text/segment.ts';
import { AppError, invalidField } from '../errors.ts';
import type { CustomerRepository } from '../repositories/customer.repository.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { TicketFilter, TicketListRepository } from '../repositories/ticket-list.repository.ts';
import type { Actor } from './actor.ts';
import type { ExportColumn, ExportRow } from './export/table-writer.ts';
import { casesOnly, type StatsFilter, type StatsService } from './stats.service.ts';
import { scopeOf } from './workflow.service.ts';

/** A built-in report: a titled table whose rows drill down to the orders behind them. */
export interface ReportTable {
  code: string;
  title: string;
  subtitle: string;
  columns: ExportColumn[];
  rows: Array<{ cells: ExportRow; drill?: Record<string, string>; cellDrill?: Record<string, Record<string, string>> }>;
}

export const REPORTS = {
  situation: '投诉举报情况表',
  comparison: '前后对比表',
  pareto: '投诉原因帕累托分析',
  trend: '分类月度趋势',
  heat: '单位×分类热力表',
  repeats: '重复投诉客户与地址',
  words: '诉求文本词频',
  ranking: '单位超期与退单排名',
} as const;
export type ReportCode = keyof typeof REPORTS;

export interface ReportParams {
  range: DateRange;
  /** The earlier period for the comparison (default: the period before `range`). */
  before?: DateRange;
  filter: StatsFilter;
  classLevel?: 'root' | 'leaf';
  by?: 'class' | 'root_cause';
  limit?: number;
}

const share = (n: number, t: number) => (t > 0 ? n / t : null);

/** The eight built-in reports over the statistics service and, for reports 6 and 7, the orders in the reader's scope. */
export class StatsReportService {
  constructor(
    private readonly stats: StatsService,
    private readonly lists: TicketListRepository,
    private readonly customers: CustomerRepository,
    private readonly org: OrgRepository,
  ) {}

  /** Builds one report for the actor. */
  async build(actor: Actor, code: ReportCode, p: ReportParams): Promise<ReportTable> {
    switch (code) {
      case 'situation':
        return this.situation(actor, p);
      case 'comparison':
        return this.comparison(actor, p);
      case 'pareto':
        return this.pareto(actor, p);
      case 'trend':
        return this.matrix(actor, p, 'trend', 'period');
      case 'heat':
        return this.matrix(actor, p, 'heat', 'org');
      case 'repeats':
        return this.repeats(actor, p);
      case 'words':
        return this.words(actor, p);
      case 'ranking':
        return this.ranking(actor, p);
    }
  }

  /** (1) 投诉举报情况表: one unit, one period, by cause class. */
  private async situation(actor: Actor, p: ReportParams): Promise<ReportTable> {
    const r = await this.stats.query(actor, {
      range: p.range,
      groupBy: ['class'],
      classLevel: p.classLevel ?? 'leaf',
      filter: casesOnly(p.filter),
    });
    const unit = await this.unitName(actor, p.filter);
    const total = r.total.measures;
    const line = (label: string, m: typeof total, drill: Record<string, string>) => ({
      cells: {
        label,
        n: m.n,
        share: share(m.n, total.n),
        substantiated: m.substantiated,
        substantiationRate: share(m.substantiated, m.verified),
        onTime: m.reply_on_time,
        onTimeRate: share(m.reply_on_time, m.reply_due),
        satisfied: m.satisfied,
        satisfactionRate: share(m.satisfied, m.revisit_ok),
      },
      drill,
    });
    return {
      code: 'situation',
      title: `${unit}${r.range.name}${REPORTS.situation}`,
      subtitle: `统计期间 ${r.range.from} 至 ${r.range.to}（按受理时间）`,
      columns: [
        { key: 'label', zh: '投诉举报原因', width: 28 },
        { key: 'n', zh: '件数', type: 'int' },
        { key: 'share', zh: '占比', type: 'percent' },
        { key: 'substantiated', zh: '属实件数', type: 'int' },
        { key: 'substantiationRate', zh: '属实率', type: 'percent' },
        { key: 'onTime', zh: '按时回单', type: 'int' },
        { key: 'onTimeRate', zh: '回单及时率', type: 'percent' },
        { key: 'satisfied', zh: '回访满意', type: 'int' },
        { key: 'satisfactionRate', zh: '回访满意率', type: 'percent' },
      ],
      rows: [...r.rows.map((x) => line(x.keys.class?.label ?? '', x.measures, x.drill)), line('合计', total, r.total.drill)],
    };
  }

  /** (2) 前后对比表: two periods side by side per cause, with change. */
  private async comparison(actor: Actor, p: ReportParams): Promise<ReportTable> {
    const before = p.before ?? previousRange(p.range);
    const by: Exclude<Dimension, 'period'> = p.by ?? 'class';
    const c = await this.stats.compare(actor, before, p.range, by, casesOnly(p.filter), p.classLevel ?? 'leaf');
    const unit = await this.unitName(actor, p.filter);
    return {
      code: 'comparison',
      title: `${unit}${REPORTS.comparison}（${c.a.name} / ${c.b.name}）`,
      subtitle: `前期 ${c.a.from} 至 ${c.a.to}；本期 ${c.b.from} 至 ${c.b.to}`,
      columns: comparisonColumns(c, by === 'class' ? '投诉举报原因' : '问题原因', 28),
      rows: [
        ...c.rows.map((x) => ({
          cells: comparisonCells(x),
          cellDrill: Object.fromEntries(
            [
              ['a', x.a.drill],
              ['b', x.b.drill],
            ].filter((e) => e[1] !== null) as Array<[string, Record<string, string>]>,
          ),
        })),
        {
          cells: { label: '合计', a: c.a.total, aShare: 1, b: c.b.total, bShare: 1, change: c.change, changeRate: c.changeRate },
        },
      ],
    };
  }

  /** (3) Pareto of causes: classes (or root causes) by count with the cumulative share; A = the first 80 %. */
  private async pareto(actor: Actor, p: ReportParams): Promise<ReportTable> {
    const by = p.by ?? 'class';
    const r = await this.stats.query(actor, {
      range: p.range,
      groupBy: [by],
      classLevel: p.classLevel ?? 'leaf',
      filter: casesOnly(p.filter),
    });
    const rows = [...r.rows].sort((a, b) => b.measures.n - a.measures.n);
    const total = r.total.measures.n;
    let cum = 0;
    return {
      code: 'pareto',
      title: `${REPORTS.pareto}（${r.range.name}）`,
      subtitle: '按件数从多到少；累计占比达到 80% 为止的原因为主要原因（A 类），其后至 95% 为次要原因（B 类）',
      columns: [
        { key: 'label', zh: by === 'class' ? '投诉举报原因' : '问题原因', width: 28 },
        { key: 'n', zh: '件数', type: 'int' },
        { key: 'share', zh: '占比', type: 'percent' },
        { key: 'cumulative', zh: '累计占比', type: 'percent' },
        { key: 'abc', zh: '类别' },
      ],
      rows: rows.map((x) => {
        const before = cum;
        cum += x.measures.n;
        return {
          cells: {
            label: x.keys[by]?.label ?? '',
            n: x.measures.n,
            share: share(x.measures.n, total),
            cumulative: share(cum, total),
            abc: before / Math.max(total, 1) < 0.8 ? 'A' : before / Math.max(total, 1) < 0.95 ? 'B' : 'C',
          },
          drill: x.drill,
        };
      }),
    };
  }

  /** (4) monthly trend by class and (5) org × class heat table: a matrix of counts with row and column totals. */
  private async matrix(actor: Actor, p: ReportParams, code: 'trend' | 'heat', rowDim: 'period' | 'org'): Promise<ReportTable> {
    const r = await this.stats.query(actor, {
      range: p.range,
      groupBy: [rowDim, 'class'],
      grain: 'month',
      classLevel: p.classLevel ?? 'root',
      filter: casesOnly(p.filter),
    });
    const classes = new Map<string, string>();
    const rows = new Map<string, ReportTable['rows'][number] & { label: string }>();
    for (const x of r.rows) {
      const c = x.keys.class as { code: string; label: string };
      const k = x.keys[rowDim] as { code: string; label: string };
      classes.set(c.code, c.label);
      let row = rows.get(k.code);
      if (!row) {
        row = { label: k.label, cells: { label: k.label, total: 0 }, cellDrill: {} };
        rows.set(k.code, row);
      }
      row.cells[`c:${c.code}`] = x.measures.n;
      row.cells.total = Number(row.cells.total) + x.measures.n;
      (row.cellDrill as Record<string, Record<string, string>>)[`c:${c.code}`] = x.drill;
    }
    // Columns in taxonomy order (unclassified last), whichever row a class first appears in.
    const order = (await this.stats.context(actor, p.filter)).classes.map((c) => c.code);
    const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
    const classCols = [...classes.entries()]
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([c, label]) => ({ key: `c:${c}`, zh: label, type: 'int' as const }));
    const totals: ExportRow = { label: '合计', total: r.total.measures.n };
    for (const col of classCols) totals[col.key] = [...rows.values()].reduce((s, row) => s + Number(row.cells[col.key] ?? 0), 0);
    for (const row of rows.values()) for (const col of classCols) row.cells[col.key] ??= 0;
    return {
      code,
      title: `${REPORTS[code]}（${r.range.name}）`,
      subtitle: code === 'trend' ? '行：月份；列：投诉举报分类；值：件数' : '行：单位（含下级）；列：投诉举报分类；值：件数',
      columns: [
        { key: 'label', zh: rowDim === 'period' ? '月份' : '单位', width: 20 },
        ...classCols,
        { key: 'total', zh: '合计', type: 'int' },
      ],
      rows: [...[...rows.values()].map(({ label: _l, ...row }) => row), { cells: totals }],
    };
  }

  /** (6) customers and addresses with two or more orders in the period; names, phones and addresses masked as the role requires. */
  private async repeats(actor: Actor, p: ReportParams): Promise<ReportTable> {
    await this.stats.context(actor, p.filter);
    const access = customerAccessOf(actor.roles);
    const personal = access === 'full';
    const person = (c: { name: string | null; phone: string | null; account_no: string | null }) =>
      customerData(access, { name: c.name, phone: c.phone, account: c.account_no, address: null, lat: null, lng: null });
    const { fromIso, toIso } = instantRange(p.range);
    const scope = scopeOf(actor);
    const limit = Math.min(p.limit ?? 50, 500);
    const { customers, addresses } = await this.customers.repeats(scope, { fromIso, toIso, kinds: p.filter.kinds }, limit);
    const range = { createdFrom: fromIso, createdTo: toIso, sort: 'created' };
    return {
      code: 'repeats',
      title: `${REPORTS.repeats}（${p.range.from} 至 ${p.range.to}）`,
      subtitle: personal ? '同一客户或同一地址期间内两次及以上' : '同一客户或同一地址期间内两次及以上；个人信息已脱敏',
      columns: [
        { key: 'type', zh: '类型' },
        { key: 'customer', zh: '客户', width: 14 },
        { key: 'phone', zh: '联系电话', width: 16 },
        { key: 'account', zh: '户号', width: 14 },
        { key: 'address', zh: '地址', width: 30 },
        { key: 'n', zh: '件数', type: 'int' },
      ],
      rows: [
        ...customers.map((c) => ({
          cells: {
            type: '客户',
            customer: person(c).name,
            phone: person(c).phone,
            account: person(c).account,
            address: null,
            n: Number(c.n),
          },
          drill:
            personal && c.phone ? { ...range, phone: c.phone } : personal && c.account_no ? { ...range, account: c.account_no } : range,
        })),
        ...addresses.map((a) => ({
          cells: {
            type: '地址',
            customer: null,
            phone: null,
            account: null,
            address: addressFor(access, a.location),
            n: Number(a.n),
          },
        })),
      ],
    };
  }

  /** (7) word frequencies of the complaint texts of a selection (jieba words, stop words removed). */
  private async words(actor: Actor, p: ReportParams): Promise<ReportTable> {
    await this.stats.context(actor, p.filter);
    const { fromIso, toIso } = instantRange(p.range);
    const filter: TicketFilter = { createdFrom: fromIso, createdTo: toIso };
    if (p.filter.kinds?.length) filter.kinds = p.filter.kinds;
    if (p.filter.classes?.length === 1) filter.classPrefix = p.filter.classes[0] as string;
    if (p.filter.channels?.length === 1) filter.channel = p.filter.channels[0] as string;
    if (p.filter.orgId !== undefined) {
      const u = await this.org.find(p.filter.orgId);
      if (!u) throw new AppError('not_found', 'Org unit not found');
      filter.unitPath = u.path;
    }
    const max = Math.min(p.limit ?? 5000, 20_000);
    const counts = new Map<string, { n: number; docs: number }>();
    let cursor = null;
    let seen = 0;
    do {
      const page = await this.lists.list(scopeOf(actor), filter, 'created', 500, cursor);
      for (const t of page.rows) {
        const ws = words(`${t.subject} ${t.description}`).filter((w) => [...w].length >= 2 && !/^\d+$/.test(w));
        for (const w of ws) {
          const c = counts.get(w) ?? { n: 0, docs: 0 };
          c.n++;
          counts.set(w, c);
        }
        for (const w of new Set(ws)) (counts.get(w) as { docs: number }).docs++;
      }
      seen += page.rows.length;
      cursor = page.next;
    } while (cursor && seen < max);
    const top = [...counts.entries()].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0])).slice(0, Math.min(p.limit ?? 100, 500));
    return {
      code: 'words',
      title: `${REPORTS.words}（${p.range.from} 至 ${p.range.to}）`,
      subtitle: `分析工单 ${seen} 件（jieba 分词，已去除虚词）`,
      columns: [
        { key: 'word', zh: '词语' },
        { key: 'n', zh: '出现次数', type: 'int' },
        { key: 'docs', zh: '涉及工单数', type: 'int' },
        { key: 'share', zh: '工单占比', type: 'percent' },
      ],
      rows: top.map(([w, c]) => ({ cells: { word: w, n: c.n, docs: c.docs, share: share(c.docs, seen) } })),
    };
  }

  /** (8) units ranked by overdue orders, then returns. */
  private async ranking(actor: Actor, p: ReportParams): Promise<ReportTable> {
    const r = await this.stats.query(actor, { range: p.range, groupBy: ['org'], filter: p.filter });
    const rows = [...r.rows].sort(
      (a, b) => b.measures.overdue - a.measures.overdue || b.measures.returned - a.measures.returned || b.measures.n - a.measures.n,
    );
    return {
      code: 'ranking',
      title: `${REPORTS.ranking}（${r.range.name}）`,
      subtitle: '按超时工单数、退单工单数从多到少排名',
      columns: [
        { key: 'rank', zh: '名次', type: 'int' },
        { key: 'label', zh: '单位', width: 20 },
        { key: 'n', zh: '工单数', type: 'int' },
        { key: 'overdue', zh: '超时工单', type: 'int' },
        { key: 'returned', zh: '退单工单', type: 'int' },
        { key: 'returnRate', zh: '退单率', type: 'percent' },
        { key: 'replyOnTime', zh: '回单及时率', type: 'percent' },
        { key: 'satisfaction', zh: '回访满意率', type: 'percent' },
      ],
      rows: rows.map((x, i) => ({
        cells: {
          rank: i + 1,
          label: x.keys.org?.label ?? '',
          n: x.measures.n,
          overdue: x.measures.overdue,
          returned: x.measures.returned,
          returnRate: x.kpis.return_rate,
          replyOnTime: x.kpis.reply_on_time_rate,
          satisfaction: x.kpis.satisfaction_rate,
        },
        drill: x.drill,
        cellDrill: { overdue: { ...x.drill, overdue: 'true' } },
      })),
    };
  }

  private async unitName(actor: Actor, filter: StatsFilter): Promise<string> {
    const ctx = await this.stats.context(actor, filter);
    return ctx.root.name;
  }
}

/** The period before a range of whole months, halves or years; else the same number of days before. */
export function previousRange(r: DateRange): DateRange {
  const y = r.from.slice(0, 4);
  const m = Number(r.from.slice(5, 7));
  for (const label of [y, `${y}-H${m <= 6 ? 1 : 2}`, `${y}-Q${Math.ceil(m / 3)}`, r.from.slice(0, 7)]) {
    const pr = periodRange(label);
    if (pr && pr.from === r.from && pr.to === r.to) {
      const prev = previousPeriod(label);
      const out = prev ? periodRange(prev) : null;
      if (out) return out;
    }
  }
  const days = Math.round((Date.parse(r.to) - Date.parse(r.from)) / 86_400_000) + 1;
  const from = new Date(Date.parse(r.from) - days * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.parse(r.from) - 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

export function isReportCode(s: string): s is ReportCode {
  if (!(s in REPORTS)) throw invalidField('report', `unknown report "${s}"; one of ${Object.keys(REPORTS).join(', ')}`);
  return true;
}

type Comparison = Awaited<ReturnType<StatsService['compare']>>;

/** The columns of a before/after comparison (前后对比): count and share of each period, change and change rate. */
export function comparisonColumns(c: Pick<Comparison, 'a' | 'b'>, labelZh: string, labelWidth: number): ExportColumn[] {
  return [
    { key: 'label', zh: labelZh, width: labelWidth },
    { key: 'a', zh: `${c.a.name}件数`, type: 'int' },
    { key: 'aShare', zh: `${c.a.name}占比`, type: 'percent' },
    { key: 'b', zh: `${c.b.name}件数`, type: 'int' },
    { key: 'bShare', zh: `${c.b.name}占比`, type: 'percent' },
    { key: 'change', zh: '增减', type: 'int' },
    { key: 'changeRate', zh: '增减率', type: 'percent' },
  ];
}

/** One row of a comparison in those columns. */
export function comparisonCells(x: Comparison['rows'][number]): ExportRow {
  return {
    label: x.key.label,
    a: x.a.count,
    aShare: x.a.share,
    b: x.b.count,
    bShare: x.b.share,
    change: x.change,
    changeRate: x.changeRate,
  };
}
