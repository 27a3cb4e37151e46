import type { Channel, Kind } from '../../core/taxonomy.ts';
import type { ClockName, Duration, TimePolicyRules } from '../../core/time-policy.ts';
import { addDays, endOfShanghaiDay, shanghaiDate, shanghaiDateTime, startOfShanghaiDay, type WorkCalendar, yearOf } from './calendar.ts';

export interface Deadline {
  clock: ClockName;
  startAt: Date;
  dueAt: Date;
  warnAt: Date;
  rule: Duration;
  /** The count touched a year with no official calendar. */
  provisional: boolean;
  /** Non-working days skipped, YYYY-MM-DD. */
  skipped: string[];
  /** Make-up (调休) working days counted, YYYY-MM-DD. */
  makeupDays: string[];
  /** Total suspended time added to the deadline. */
  shiftMs: number;
  explanation: { zh: string; en: string };
}

const HOUR_MS = 3_600_000;

/** A due instant with the non-working and make-up days its count went over. */
interface Due {
  dueAt: number;
  skipped: string[];
  makeupDays: string[];
}

function checkRule(rule: Duration): void {
  if (!Number.isInteger(rule.n) || rule.n < 1) throw new RangeError(`duration n must be a positive integer: ${rule.n}`);
}

function baseDue(cal: WorkCalendar, rule: Duration, startAt: Date): Due {
  checkRule(rule);
  if (rule.unit === 'hours') return { dueAt: startAt.getTime() + rule.n * HOUR_MS, skipped: [], makeupDays: [] };
  const startDay = shanghaiDate(startAt);
  if (rule.unit === 'days') {
    return { dueAt: endOfShanghaiDay(addDays(startDay, rule.n)).getTime(), skipped: [], makeupDays: [] };
  }
  const count = cal.addWorkdays(startDay, rule.n);
  return { dueAt: endOfShanghaiDay(count.date).getTime(), skipped: count.skipped, makeupDays: count.makeupDays };
}

/** Unsuspended warning instant: ≤ fraction of the window left, and for working days no later than the start of the last minWorkdaysBefore working days. */
function baseWarn(cal: WorkCalendar, rule: Duration, startAt: Date, dueAt: number, policy: TimePolicyRules): number {
  const start = startAt.getTime();
  const { fraction, minWorkdaysBefore: min } = policy.warning;
  let warn = dueAt - Math.round(fraction * (dueAt - start));
  if (rule.unit === 'workdays' && min >= 1) {
    const dueDay = shanghaiDate(new Date(dueAt - 1));
    const firstOfLast = min === 1 ? dueDay : cal.workdayBefore(dueDay, min - 1);
    warn = Math.min(warn, startOfShanghaiDay(firstOfLast).getTime());
  }
  return Math.min(dueAt, Math.max(start, warn));
}

/** Moves a due later by a pause; a working-day due landing on a day off moves on to 24:00 of the next working day. */
function moveLater(cal: WorkCalendar, rule: Duration, due: Due, pausedMs: number): Due {
  if (!Number.isFinite(pausedMs) || pausedMs < 0) throw new RangeError(`paused time must be non-negative: ${pausedMs}`);
  const out = { ...due, dueAt: due.dueAt + pausedMs };
  if (pausedMs === 0 || rule.unit !== 'workdays') return out;
  const landing = shanghaiDate(new Date(out.dueAt - 1));
  if (cal.isWorkday(landing)) return out;
  const next = cal.addWorkdays(landing, 1);
  return { ...out, dueAt: endOfShanghaiDay(next.date).getTime(), skipped: [...due.skipped, landing, ...next.skipped] };
}

/** Years without an official calendar that a working-day count from startAt to dueAt went through. */
function uncoveredYears(cal: WorkCalendar, rule: Duration, startAt: Date, dueAt: number): number[] {
  if (rule.unit !== 'workdays') return [];
  const first = yearOf(addDays(shanghaiDate(startAt), 1));
  const last = yearOf(shanghaiDate(new Date(dueAt - 1)));
  const years: number[] = [];
  for (let y = first; y <= last; y += 1) if (!cal.isCovered(y)) years.push(y);
  return years;
}

/** 'YYYY-MM-DD 24:00' for a due at a Shanghai midnight, else Shanghai 'YYYY-MM-DD HH:MM'. */
function formatDue(dueAt: number): string {
  const midnight = shanghaiDateTime(new Date(dueAt)).endsWith(' 00:00') && dueAt % 60_000 === 0;
  return midnight ? `${shanghaiDate(new Date(dueAt - 1))} 24:00` : shanghaiDateTime(new Date(dueAt));
}

/** Collapses sorted dates into 'a..b' runs of consecutive days. */
function ranges(dates: string[], label: (d: string) => string): string[] {
  const out: string[] = [];
  const sorted = [...new Set(dates)].sort();
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && addDays(sorted[j] as string, 1) === sorted[j + 1]) j += 1;
    const a = label(sorted[i] as string);
    out.push(i === j ? a : `${a}..${label(sorted[j] as string)}`);
    i = j + 1;
  }
  return out;
}

function formatPause(ms: number): { zh: string; en: string } {
  const minutes = Math.round(ms / 60_000);
  if (minutes === 0) return { zh: '不足1分钟', en: 'under 1 min' };
  const parts = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  const zhUnits = ['天', '小时', '分'];
  const enUnits = ['d', 'h', 'min'];
  const zh = parts.map((v, i) => (v > 0 ? `${v}${zhUnits[i]}` : '')).join('');
  const en = parts.flatMap((v, i) => (v > 0 ? [`${v} ${enUnits[i]}`] : [])).join(' ');
  return { zh, en };
}

function ruleText(rule: Duration): { zh: string; en: string } {
  const s = rule.n === 1 ? '' : 's';
  if (rule.unit === 'hours') return { zh: `${rule.n} 小时`, en: `${rule.n} hour${s}` };
  if (rule.unit === 'days') return { zh: `${rule.n} 个自然日`, en: `${rule.n} natural day${s}` };
  return { zh: `${rule.n} 个工作日`, en: `${rule.n} working day${s}` };
}

function explain(cal: WorkCalendar, rule: Duration, startAt: Date, due: Due, years: number[], shiftMs: number): Deadline['explanation'] {
  const dueText = formatDue(due.dueAt);
  const startText = shanghaiDateTime(startAt);
  const r = ruleText(rule);
  let zh = `${dueText} 截止：自 ${startText} 起 ${r.zh}`;
  let en = `due ${dueText}: ${r.en} from ${startText}`;
  const sameYear = startText.slice(0, 4) === dueText.slice(0, 4);
  const label = (d: string) => (sameYear ? d.slice(5) : d);
  const holidays = due.skipped.filter((d) => cal.dayInfo(d).reason !== 'weekend');
  if (holidays.length > 0) {
    const runs = ranges(holidays, label);
    zh += `；跳过 ${runs.join('、')} 假日`;
    en += `; ${runs.join(', ')} holiday`;
  }
  if (due.makeupDays.length > 0) {
    const days = due.makeupDays.map(label);
    zh += `；${days.join('、')} 为调休工作日`;
    en += `; ${days.join(', ')} make-up working day${days.length > 1 ? 's' : ''}`;
  }
  if (shiftMs > 0) {
    const p = formatPause(shiftMs);
    zh += `；挂起 ${p.zh}，顺延`;
    en += `; suspended ${p.en}, extended`;
  }
  if (years.length > 0) {
    zh += `（${years.join('、')} 年节假日安排未录入，暂按周末计算）`;
    en += ` (no official calendar for ${years.join(', ')} yet: counted on weekends only, provisional)`;
  }
  return { zh, en };
}

function assemble(cal: WorkCalendar, clock: ClockName, rule: Duration, startAt: Date, due: Due, leadMs: number, shiftMs: number): Deadline {
  const years = uncoveredYears(cal, rule, startAt, due.dueAt);
  const warn = Math.min(due.dueAt, Math.max(startAt.getTime(), due.dueAt - leadMs));
  return {
    clock,
    startAt,
    dueAt: new Date(due.dueAt),
    warnAt: new Date(warn),
    rule,
    provisional: years.length > 0,
    skipped: due.skipped,
    makeupDays: due.makeupDays,
    shiftMs,
    explanation: explain(cal, rule, startAt, due, years, shiftMs),
  };
}

/** Computes when a clock started at startAt falls due under a rule, with its warning time and explanation; shiftMs is suspended time applied as one pause. */
export function computeDeadline(
  cal: WorkCalendar,
  clock: ClockName,
  rule: Duration,
  startAt: Date,
  policy: TimePolicyRules,
  shiftMs = 0,
): Deadline {
  const base = baseDue(cal, rule, startAt);
  const leadMs = base.dueAt - baseWarn(cal, rule, startAt, base.dueAt, policy);
  return assemble(cal, clock, rule, startAt, moveLater(cal, rule, base, shiftMs), leadMs, shiftMs);
}

/** Moves a deadline later by a pause, keeping its warning lead; it never makes the deadline earlier. */
export function shiftDeadline(cal: WorkCalendar, d: Deadline, pausedMs: number): Deadline {
  const due = moveLater(cal, d.rule, { dueAt: d.dueAt.getTime(), skipped: [...d.skipped], makeupDays: [...d.makeupDays] }, pausedMs);
  const leadMs = d.dueAt.getTime() - d.warnAt.getTime();
  return assemble(cal, d.clock, d.rule, d.startAt, due, leadMs, d.shiftMs + pausedMs);
}

/** The rule that governs a clock for an order of this kind and channel, or null when the clock does not apply. */
export function ruleFor(policy: TimePolicyRules, clock: ClockName, kind: Kind, channel: Channel): Duration | null {
  switch (clock) {
    case 'dispatch':
      return policy.dispatch;
    case 'first_contact':
      return policy.firstContact;
    case 'reply':
      return policy.reply.byChannel[channel] ?? policy.reply.byKind[kind] ?? null;
    case 'promise':
      return policy.promise.byKind[kind] ?? null;
    case 'revisit':
      return policy.revisit;
  }
}
