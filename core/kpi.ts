import { KPIS, type KpiCode, type Measure } from './stats.ts';

/**
 * What a KPI's figure is made of and which way is good, for the KPI page, the leader cockpit and the targets
 * an administrator sets. The figures themselves come from `computeKpis` (core/stats.ts); this only names the
 * parts so that a page can show "numerator ÷ denominator" beside the result.
 */
export interface KpiFormula {
  /** The measure counted above the line, or null for a plain figure. */
  num: Measure | null;
  /** The measure below the line; `customers` is the accounts served by the unit (万户投诉率). */
  den: Measure | 'customers' | null;
  /** A higher figure is better (rates of success) or a lower one (complaint rates, overdue counts). */
  better: 'higher' | 'lower';
  zh: string;
  en: string;
}

export const KPI_FORMULAS: Record<KpiCode, KpiFormula> = {
  count: { num: 'n', den: null, better: 'lower', zh: '工单数', en: 'orders' },
  complaints_per_10k: {
    num: 'complaints',
    den: 'customers',
    better: 'lower',
    zh: '投诉工单数 ÷ 客户户数 × 10000',
    en: 'complaint orders ÷ customer accounts × 10,000',
  },
  substantiation_rate: {
    num: 'substantiated',
    den: 'verified',
    better: 'lower',
    zh: '属实及部分属实件数 ÷ 已核实件数',
    en: 'substantiated or partly ÷ verified',
  },
  first_contact_on_time_rate: {
    num: 'fc_on_time',
    den: 'fc_due',
    better: 'higher',
    zh: '按时首次联系件数 ÷ 首次联系时限已结束件数',
    en: 'first contacts on time ÷ first-contact clocks ended',
  },
  reply_on_time_rate: {
    num: 'reply_on_time',
    den: 'reply_due',
    better: 'higher',
    zh: '按时回单件数 ÷ 回单时限已结束件数',
    en: 'replies on time ÷ reply clocks ended',
  },
  revisit_success_rate: {
    num: 'revisit_ok',
    den: 'revisited',
    better: 'higher',
    zh: '回访成功件数 ÷ 已回访件数',
    en: 'call-backs reaching the customer ÷ call-backs made',
  },
  satisfaction_rate: {
    num: 'satisfied',
    den: 'revisit_ok',
    better: 'higher',
    zh: '满意及基本满意件数 ÷ 回访成功件数',
    en: 'satisfied or basically ÷ successful call-backs',
  },
  repeat_rate: { num: 'repeat_n', den: 'n', better: 'lower', zh: '重复投诉件数 ÷ 工单数', en: 'repeats ÷ orders' },
  first_time_resolution_rate: {
    num: 'first_time',
    den: 'archived',
    better: 'higher',
    zh: '一次办结件数 ÷ 办结归档件数',
    en: 'resolved first time ÷ archived as completed',
  },
  return_rate: { num: 'returned', den: 'dispatched', better: 'lower', zh: '退单件数 ÷ 派单件数', en: 'returned ÷ dispatched' },
  avg_handling_hours: {
    num: 'handle_seconds',
    den: 'handle_n',
    better: 'lower',
    zh: '受理至归档小时数之和 ÷ 办结归档件数',
    en: 'hours from intake to archiving ÷ archived as completed',
  },
  overdue: { num: 'overdue', den: null, better: 'lower', zh: '超时工单数', en: 'overdue orders' },
};

/** The KPIs a leader watches first (领导驾驶舱), in the order shown. */
export const COCKPIT_KPIS = [
  'complaints_per_10k',
  'reply_on_time_rate',
  'satisfaction_rate',
  'repeat_rate',
  'substantiation_rate',
  'first_time_resolution_rate',
] as const satisfies readonly KpiCode[];

/** KPIs an administrator may set a target for: every one but the plain order count, which no one aims at. */
export const TARGET_KPIS: readonly KpiCode[] = KPIS.map((k) => k.code).filter((c) => c !== 'count');

export function isTargetKpi(code: string): code is KpiCode {
  return (TARGET_KPIS as readonly string[]).includes(code);
}

/** Why a target value cannot be one for the KPI (null: it can). Rates are fractions 0–1 like the figures. */
export function targetProblem(code: KpiCode, value: number): string | null {
  if (!Number.isFinite(value)) return 'must be a number';
  const unit = KPIS.find((k) => k.code === code)?.unit;
  if (unit === 'percent' && (value < 0 || value > 1)) return 'a rate is a fraction from 0 to 1 (95% = 0.95)';
  if (value < 0) return 'must not be negative';
  if (unit === 'count' && !Number.isInteger(value)) return 'a count is a whole number';
  if (value > 1_000_000) return 'is too large';
  return null;
}

/** Whether a figure meets its target, given which way is better; null when either is missing. */
export function targetMet(code: KpiCode, value: number | null, target: number | null): boolean | null {
  if (value === null || target === null) return null;
  return KPI_FORMULAS[code].better === 'higher' ? value >= target : value <= target;
}
