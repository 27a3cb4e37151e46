/**
 * Statistics vocabulary shared by server and web: the measures every aggregate row carries, the KPIs computed
 * from them with their definitions (docs/statistics.md), the dimensions and the period grains.
 */

/** Additive counts per group; every KPI is a ratio or a figure of these, so groups can be summed freely. */
export const MEASURES = [
  'n',
  'complaints',
  'open_n',
  'closed',
  'archived',
  'verified',
  'substantiated',
  'fc_due',
  'fc_on_time',
  'reply_due',
  'reply_on_time',
  'revisited',
  'revisit_ok',
  'satisfied',
  'repeat_n',
  'first_time',
  'dispatched',
  'returned',
  'handle_n',
  'handle_seconds',
  'overdue',
] as const;
export type Measure = (typeof MEASURES)[number];
export type Measures = Record<Measure, number>;

/**
 * 案件: the kinds the handling KPIs and the paper's two tables count — complaints (投诉) and reports (举报).
 * Opinions, suggestions and praise (意见、建议、表扬) are orders, but no cases: nothing in them is found true or
 * false, returned, or called back about a grievance.
 */
export const CASE_KINDS: readonly string[] = ['complaint', 'report'];

/** Which orders a measure counts: every order, the cases (complaints and reports), or complaints alone. */
export type MeasureScope = 'all' | 'cases' | 'complaints';

/**
 * The kinds behind each measure. Workload counts every order (taken in, open, closed, overdue); the complaint
 * rates count complaints (万户投诉率, 重复投诉率); every other KPI counts cases.
 */
export const MEASURE_SCOPE: Readonly<Record<Measure, MeasureScope>> = {
  n: 'all',
  complaints: 'complaints',
  open_n: 'all',
  closed: 'all',
  archived: 'cases',
  verified: 'cases',
  substantiated: 'cases',
  fc_due: 'cases',
  fc_on_time: 'cases',
  reply_due: 'cases',
  reply_on_time: 'cases',
  revisited: 'cases',
  revisit_ok: 'cases',
  satisfied: 'cases',
  repeat_n: 'complaints',
  first_time: 'cases',
  dispatched: 'cases',
  returned: 'cases',
  handle_n: 'cases',
  handle_seconds: 'cases',
  overdue: 'all',
};

/** Whether an order of this kind counts in a measure of this scope. */
export function inScope(scope: MeasureScope, kind: string): boolean {
  return scope === 'all' || (scope === 'complaints' ? kind === 'complaint' : CASE_KINDS.includes(kind));
}

export function zeroMeasures(): Measures {
  return Object.fromEntries(MEASURES.map((m) => [m, 0])) as Measures;
}

/** Adds b into a (in place) and returns a. */
export function addMeasures(a: Measures, b: Measures, sign = 1): Measures {
  for (const m of MEASURES) a[m] += sign * b[m];
  return a;
}

export interface KpiDef {
  code: string;
  zh: string;
  en: string;
  unit: 'count' | 'percent' | 'per10k' | 'hours';
  definition: { zh: string; en: string };
  /** The kinds of order the figure counts. */
  kinds: MeasureScope;
}

/** The KPIs, each with the definition shown beside the figure. */
export const KPIS = [
  {
    code: 'count',
    kinds: 'all',
    zh: '工单数',
    en: 'Orders',
    unit: 'count',
    definition: {
      zh: '期间内受理的工单数，含投诉、举报、意见、建议、表扬（按受理时间，北京时间）',
      en: 'Orders of every kind taken in during the period (by intake time, Asia/Shanghai)',
    },
  },
  {
    code: 'complaints_per_10k',
    kinds: 'complaints',
    zh: '万户投诉率',
    en: 'Complaints per 10,000 customers',
    unit: 'per10k',
    definition: {
      zh: '期间内投诉工单数 ÷ 所辖客户户数 × 10000（户数取单位档案中的客户数）',
      en: 'Complaint orders in the period ÷ customer accounts served × 10,000 (accounts from the org units)',
    },
  },
  {
    code: 'substantiation_rate',
    kinds: 'cases',
    zh: '属实率',
    en: 'Substantiation rate',
    unit: 'percent',
    definition: {
      zh: '核实为属实或部分属实的投诉举报 ÷ 已有核实结论的投诉举报',
      en: 'Complaints and reports found substantiated or partly substantiated ÷ those with a verification result',
    },
  },
  {
    code: 'first_contact_on_time_rate',
    kinds: 'cases',
    zh: '首次联系及时率',
    en: 'First contact on time',
    unit: 'percent',
    definition: {
      zh: '时限内首次联系客户的投诉举报 ÷ 已有首次联系结论的投诉举报',
      en: 'Complaints and reports first contacted within the limit ÷ those whose first-contact clock ended',
    },
  },
  {
    code: 'reply_on_time_rate',
    kinds: 'cases',
    zh: '回单及时率',
    en: 'Reply on time',
    unit: 'percent',
    definition: {
      zh: '时限内回单的投诉举报 ÷ 已有回单结论的投诉举报',
      en: 'Complaints and reports replied within the limit ÷ those whose reply clock ended',
    },
  },
  {
    code: 'revisit_success_rate',
    kinds: 'cases',
    zh: '回访成功率',
    en: 'Call-back success rate',
    unit: 'percent',
    definition: {
      zh: '回访联系上客户的投诉举报（满意、基本满意、不满意）÷ 已回访的投诉举报（含无法联系）',
      en: 'Call-backs on complaints and reports that reached the customer (satisfied, basically, dissatisfied) ÷ call-backs made (incl. unreachable)',
    },
  },
  {
    code: 'satisfaction_rate',
    kinds: 'cases',
    zh: '回访满意率',
    en: 'Satisfaction at call-back',
    unit: 'percent',
    definition: {
      zh: '满意与基本满意的投诉举报 ÷ 回访成功的投诉举报',
      en: 'Complaints and reports satisfied or basically satisfied ÷ their successful call-backs',
    },
  },
  {
    code: 'repeat_rate',
    kinds: 'complaints',
    zh: '重复投诉率',
    en: 'Repeat-complaint rate',
    unit: 'percent',
    definition: { zh: '标记为重复的投诉 ÷ 投诉工单数', en: 'Complaints flagged as repeats ÷ complaints' },
  },
  {
    code: 'first_time_resolution_rate',
    kinds: 'cases',
    zh: '一次办结率',
    en: 'First-time resolution',
    unit: 'percent',
    definition: {
      zh: '办结归档且无重办、无驳回、非重复的投诉举报 ÷ 办结归档的投诉举报（不含合并、无效）',
      en: 'Complaints and reports archived with no redo, no reviewer rejection and no repeat flag ÷ those archived as completed (merged and invalid excluded)',
    },
  },
  {
    code: 'return_rate',
    kinds: 'cases',
    zh: '退单率',
    en: 'Return rate',
    unit: 'percent',
    definition: {
      zh: '至少退单一次的投诉举报 ÷ 已派单的投诉举报',
      en: 'Complaints and reports returned at least once ÷ complaints and reports dispatched',
    },
  },
  {
    code: 'avg_handling_hours',
    kinds: 'cases',
    zh: '平均处理时长',
    en: 'Average handling time',
    unit: 'hours',
    definition: {
      zh: '办结归档的投诉举报从受理到归档的平均小时数',
      en: 'Average hours from intake to archiving of complaints and reports archived as completed',
    },
  },
  {
    code: 'overdue',
    kinds: 'all',
    zh: '超时工单数',
    en: 'Overdue orders',
    unit: 'count',
    definition: { zh: '至少一个时限已超期的工单数（各业务类型）', en: 'Orders of any kind past at least one deadline' },
  },
] as const satisfies readonly KpiDef[];
export type KpiCode = (typeof KPIS)[number]['code'];
export type Kpis = Record<KpiCode, number | null>;

const ratio = (a: number, b: number, scale = 1): number | null => (b > 0 ? Math.round((a / b) * scale * 10_000) / 10_000 : null);

/** Every KPI of a group from its measures; `customers` is the accounts served by the group's units (0 if unknown). */
export function computeKpis(m: Measures, customers: number): Kpis {
  return {
    count: m.n,
    complaints_per_10k: ratio(m.complaints, customers, 10_000),
    substantiation_rate: ratio(m.substantiated, m.verified),
    first_contact_on_time_rate: ratio(m.fc_on_time, m.fc_due),
    reply_on_time_rate: ratio(m.reply_on_time, m.reply_due),
    revisit_success_rate: ratio(m.revisit_ok, m.revisited),
    satisfaction_rate: ratio(m.satisfied, m.revisit_ok),
    repeat_rate: ratio(m.repeat_n, m.complaints),
    first_time_resolution_rate: ratio(m.first_time, m.archived),
    return_rate: ratio(m.returned, m.dispatched),
    avg_handling_hours: m.handle_n > 0 ? Math.round((m.handle_seconds / m.handle_n / 3600) * 100) / 100 : null,
    overdue: m.overdue,
  };
}

/** Dimensions a statistic may be grouped or filtered by. */
export const DIMENSIONS = ['period', 'org', 'kind', 'class', 'channel', 'area', 'verification', 'root_cause', 'grade'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABELS: Record<Dimension, { zh: string; en: string }> = {
  period: { zh: '期间', en: 'Period' },
  org: { zh: '单位', en: 'Unit' },
  kind: { zh: '业务类型', en: 'Kind' },
  class: { zh: '分类', en: 'Class' },
  channel: { zh: '渠道', en: 'Channel' },
  area: { zh: '城乡', en: 'Urban/rural' },
  verification: { zh: '核实结果', en: 'Verification' },
  root_cause: { zh: '问题原因', en: 'Root cause' },
  grade: { zh: '等级', en: 'Grade' },
};

export const GRAINS = ['day', 'week', 'month', 'quarter', 'half', 'year'] as const;
export type Grain = (typeof GRAINS)[number];
