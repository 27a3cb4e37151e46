import type { Grain } from '../../../core/stats.ts';
import { addDays, endOfShanghaiDay, startOfShanghaiDay } from '../calendar.ts';

/** An inclusive range of Asia/Shanghai dates. */
export interface DateRange {
  from: string;
  to: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function isoWeek(date: string): { year: number; week: number } {
  const d = new Date(`${date}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - dow + 3); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  const week = 1 + Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7);
  return { year, week };
}

/** The label of the period of the given grain that holds a Shanghai date: 2026-11-27, 2026-W48, 2026-11, 2026-Q4, 2026-H2, 2026. */
export function bucketOf(day: string, grain: Grain): string {
  const y = day.slice(0, 4);
  const m = Number(day.slice(5, 7));
  switch (grain) {
    case 'day':
      return day;
    case 'week': {
      const w = isoWeek(day);
      return `${w.year}-W${pad(w.week)}`;
    }
    case 'month':
      return day.slice(0, 7);
    case 'quarter':
      return `${y}-Q${Math.ceil(m / 3)}`;
    case 'half':
      return `${y}-H${m <= 6 ? 1 : 2}`;
    case 'year':
      return y;
  }
}

function lastDayOfMonth(y: number, m: number): string {
  return `${y}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
}

/** The date range of a period label (any grain), or null if the label is not one. */
export function periodRange(label: string): DateRange | null {
  const m1 = label.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  // A day that does not exist (2026-02-30) is no period: round-tripping through Date would move it.
  if (m1) return new Date(`${label}T00:00:00Z`).toISOString().startsWith(label) ? { from: label, to: label } : null;
  const m2 = label.match(/^(\d{4})-W(\d{2})$/);
  if (m2) {
    if (Number(m2[2]) < 1 || Number(m2[2]) > 53) return null;
    const y = Number(m2[1]);
    const jan4 = new Date(Date.UTC(y, 0, 4));
    const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (Number(m2[2]) - 1) * 7 * 86_400_000);
    const from = monday.toISOString().slice(0, 10);
    return { from, to: addDays(from, 6) };
  }
  const m3 = label.match(/^(\d{4})-(\d{2})$/);
  if (m3) {
    const m = Number(m3[2]);
    if (m < 1 || m > 12) return null;
    return { from: `${m3[1]}-${m3[2]}-01`, to: lastDayOfMonth(Number(m3[1]), m) };
  }
  const m4 = label.match(/^(\d{4})-Q([1-4])$/);
  if (m4) {
    const q = Number(m4[2]);
    return { from: `${m4[1]}-${pad(q * 3 - 2)}-01`, to: lastDayOfMonth(Number(m4[1]), q * 3) };
  }
  const m5 = label.match(/^(\d{4})-H([12])$/);
  if (m5) {
    return m5[2] === '1' ? { from: `${m5[1]}-01-01`, to: `${m5[1]}-06-30` } : { from: `${m5[1]}-07-01`, to: `${m5[1]}-12-31` };
  }
  const m6 = label.match(/^(\d{4})$/);
  if (m6) return { from: `${label}-01-01`, to: `${label}-12-31` };
  return null;
}

/** The Chinese name of a period label: 2026年上半年, 2026年第4季度, 2026年11月. */
export function periodName(label: string): string {
  const m7 = label.match(/^(\d{4})-H([12])$/);
  if (m7) return `${m7[1]}年${m7[2] === '1' ? '上半年' : '下半年'}`;
  const m8 = label.match(/^(\d{4})-Q([1-4])$/);
  if (m8) return `${m8[1]}年第${m8[2]}季度`;
  const m9 = label.match(/^(\d{4})-W(\d{2})$/);
  if (m9) return `${m9[1]}年第${Number(m9[2])}周`;
  const m10 = label.match(/^(\d{4})-(\d{2})$/);
  if (m10) return `${m10[1]}年${Number(m10[2])}月`;
  const m11 = label.match(/^(\d{4})$/);
  if (m11) return `${m11[1]}年`;
  return label;
}

/** Whether a range starts on the 1st of a month and ends on the last day of a month (monthly aggregates then suffice). */
export function monthAligned(r: DateRange): boolean {
  return r.from.endsWith('-01') && r.to === lastDayOfMonth(Number(r.to.slice(0, 4)), Number(r.to.slice(5, 7)));
}

/** The UTC instants bounding a Shanghai date range: [start of from, end of to). */
export function instantRange(r: DateRange): { fromIso: string; toIso: string } {
  return { fromIso: startOfShanghaiDay(r.from).toISOString(), toIso: endOfShanghaiDay(r.to).toISOString() };
}

/** The period of equal grain just before a label (2026-H2 → 2026-H1, 2026-01 → 2025-12). */
export function previousPeriod(label: string): string | null {
  const m12 = label.match(/^(\d{4})-H([12])$/);
  if (m12) return m12[2] === '2' ? `${m12[1]}-H1` : `${Number(m12[1]) - 1}-H2`;
  const m13 = label.match(/^(\d{4})-Q([1-4])$/);
  if (m13) return m13[2] === '1' ? `${Number(m13[1]) - 1}-Q4` : `${m13[1]}-Q${Number(m13[2]) - 1}`;
  const m14 = label.match(/^(\d{4})-(\d{2})$/);
  if (m14) return m14[2] === '01' ? `${Number(m14[1]) - 1}-12` : `${m14[1]}-${pad(Number(m14[2]) - 1)}`;
  const m15 = label.match(/^(\d{4})$/);
  if (m15) return String(Number(label) - 1);
  return null;
}
