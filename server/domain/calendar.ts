import packageData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/** Why a date is or is not a working day. */
export type DayReason = 'weekday' | 'weekend' | 'holiday' | 'makeup_workday' | 'override_workday' | 'override_holiday';

export interface DayInfo {
  date: string;
  workday: boolean;
  reason: DayReason;
  name?: string;
  /** The date's year has no official calendar: weekends only. */
  provisional: boolean;
}

/** An admin-entered single day (local emergency, or a day of an admin-entered year). */
export interface CalendarOverride {
  date: string;
  workday: boolean;
  note?: string;
}

/** A day of an admin-entered year's official calendar: a holiday, or a weekend that is a make-up working day. */
export interface YearDay {
  date: string;
  workday: boolean;
  name: string;
}

export interface CalendarOptions {
  overrides?: readonly CalendarOverride[];
  /** Years whose official calendar an admin entered (its days below, or as overrides before year entry existed). */
  adminYears?: readonly number[];
  /** The days of the admin-entered years (package years never take these). */
  yearDays?: readonly YearDay[];
}

export interface WorkdayCount {
  /** The n-th working day after the start date. */
  date: string;
  /** Non-working days passed over, in order. */
  skipped: string[];
  /** Counted working days that would be days off without 调休 or an override. */
  makeupDays: string[];
  provisional: boolean;
  /** Uncovered years the count touched (empty unless provisional). */
  uncoveredYears: number[];
}

const DAY_MS = 86_400_000;
/** Asia/Shanghai has been UTC+8 with no DST since 1991, so plain arithmetic is exact. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface PackageEntry {
  workday: boolean;
  name: string;
}

/** 'National Day,国庆节,3' → '国庆节'. */
function chineseName(raw: string): string {
  const parts = raw.split(',');
  return (parts.length >= 2 ? parts[1] : parts[0])?.trim() ?? raw;
}

function loadPackage(): { days: Map<string, PackageEntry>; years: number[] } {
  const data = packageData as { holidays: Record<string, string>; workdays: Record<string, string> };
  const days = new Map<string, PackageEntry>();
  const years = new Set<number>();
  for (const [date, raw] of Object.entries(data.holidays)) days.set(date, { workday: false, name: chineseName(raw) });
  for (const [date, raw] of Object.entries(data.workdays)) days.set(date, { workday: true, name: chineseName(raw) });
  for (const date of days.keys()) years.add(Number(date.slice(0, 4)));
  return { days, years: [...years].sort((a, b) => a - b) };
}

const PACKAGE = loadPackage();
const PACKAGE_YEAR_SET = new Set(PACKAGE.years);

/** Years for which the chinese-days package has official holiday data (derived from its data). */
export const PACKAGE_YEARS: readonly number[] = PACKAGE.years;

/** The holidays and make-up working days the package holds for a year (empty for a year it does not cover). */
export function packageYearDays(year: number): YearDay[] {
  const out: YearDay[] = [];
  for (const [date, e] of PACKAGE.days) if (yearOf(date) === year) out.push({ date, workday: e.workday, name: e.name });
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

/** Whether a 'YYYY-MM-DD' date falls on a Saturday or Sunday. */
export function isWeekendDate(date: string): boolean {
  return isWeekend(date);
}

/** Whether a string is a real calendar date in 'YYYY-MM-DD' form. */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === s;
}

// Deadline arithmetic walks the same few hundred dates for every order: each is checked and parsed once.
const dayStarts = new Map<string, number>();

function dayStartUtcMs(date: string): number {
  const known = dayStarts.get(date);
  if (known !== undefined) return known;
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (dayStarts.size >= 10_000) dayStarts.clear();
  dayStarts.set(date, ms);
  return ms;
}

/** The calendar date n days after (or before, for negative n) a 'YYYY-MM-DD' date. */
export function addDays(date: string, n: number): string {
  return new Date(dayStartUtcMs(date) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The year of a 'YYYY-MM-DD' date. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** The Asia/Shanghai calendar date of an instant, as 'YYYY-MM-DD'. */
export function shanghaiDate(instant: Date): string {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError('invalid instant');
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant 00:00 Asia/Shanghai of a date (16:00Z of the day before). */
export function startOfShanghaiDay(date: string): Date {
  return new Date(dayStartUtcMs(date) - SHANGHAI_OFFSET_MS);
}

/** The instant 24:00 Asia/Shanghai of a date, i.e. 00:00 of the next day (16:00Z of the date). */
export function endOfShanghaiDay(date: string): Date {
  return new Date(dayStartUtcMs(date) + DAY_MS - SHANGHAI_OFFSET_MS);
}

/** Asia/Shanghai local 'YYYY-MM-DD HH:MM' of an instant. */
export function shanghaiDateTime(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

function isWeekend(date: string): boolean {
  const dow = new Date(dayStartUtcMs(date)).getUTCDay();
  return dow === 0 || dow === 6;
}

/** The working-day calendar: package data for 2004–2026, admin-entered years and overrides, else Mon–Fri. */
export class WorkCalendar {
  private readonly overrides = new Map<string, CalendarOverride>();
  private readonly adminYears: ReadonlySet<number>;
  private readonly yearDays = new Map<string, YearDay>();

  constructor(options: CalendarOptions = {}) {
    for (const o of options.overrides ?? []) {
      if (!isIsoDate(o.date)) throw new RangeError(`override date is not YYYY-MM-DD: ${o.date}`);
      this.overrides.set(o.date, o);
    }
    this.adminYears = new Set(options.adminYears ?? []);
    for (const d of options.yearDays ?? []) {
      if (!isIsoDate(d.date)) throw new RangeError(`calendar day is not YYYY-MM-DD: ${d.date}`);
      this.yearDays.set(d.date, d);
    }
  }

  /** Whether a year has an official calendar (from the package or entered by an admin). */
  isCovered(year: number): boolean {
    return PACKAGE_YEAR_SET.has(year) || this.adminYears.has(year);
  }

  /** Whether a 'YYYY-MM-DD' date is a working day. */
  isWorkday(date: string): boolean {
    return this.dayInfo(date).workday;
  }

  /** The classification of a date, with the reason and the holiday name where there is one. */
  dayInfo(date: string): DayInfo {
    const provisional = !this.isCovered(yearOf(date));
    const o = this.overrides.get(date);
    if (o) {
      const reason = o.workday ? 'override_workday' : 'override_holiday';
      return { date, workday: o.workday, reason, ...(o.note ? { name: o.note } : {}), provisional };
    }
    return { ...this.baseInfo(date), provisional };
  }

  /** The date of the n-th working day after fromDate (fromDate never counts), with what was skipped. */
  addWorkdays(fromDate: string, n: number): WorkdayCount {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working-day count must be a non-negative integer: ${n}`);
    const skipped: string[] = [];
    const makeupDays: string[] = [];
    const uncovered = new Set<number>();
    let date = fromDate;
    for (let counted = 0; counted < n; ) {
      date = addDays(date, 1);
      const info = this.dayInfo(date);
      if (info.provisional) uncovered.add(yearOf(date));
      if (!info.workday) skipped.push(date);
      else {
        counted += 1;
        if (isWeekend(date) || !this.baseInfo(date).workday) makeupDays.push(date);
      }
    }
    const uncoveredYears = [...uncovered].sort((a, b) => a - b);
    return { date, skipped, makeupDays, provisional: uncoveredYears.length > 0, uncoveredYears };
  }

  /** The date of the n-th working day before date (date itself never counts); n ≥ 1. */
  workdayBefore(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`working-day count must be a positive integer: ${n}`);
    let d = date;
    for (let counted = 0; counted < n; ) {
      d = addDays(d, -1);
      if (this.isWorkday(d)) counted += 1;
    }
    return d;
  }

  /** The classification without overrides: package data for package years, an admin-entered year's days, else Mon–Fri. */
  private baseInfo(date: string): Omit<DayInfo, 'provisional'> {
    const weekend = isWeekend(date);
    const year = yearOf(date);
    const entered = !PACKAGE_YEAR_SET.has(year) && this.adminYears.has(year) ? this.yearDays.get(date) : undefined;
    if (entered?.workday) return { date, workday: true, reason: weekend ? 'makeup_workday' : 'weekday', name: entered.name };
    if (entered) return { date, workday: false, reason: 'holiday', name: entered.name };
    if (PACKAGE_YEAR_SET.has(year)) {
      const entry = PACKAGE.days.get(date);
      if (entry?.workday) return { date, workday: true, reason: weekend ? 'makeup_workday' : 'weekday', name: entry.name };
      if (entry) return { date, workday: false, reason: 'holiday', name: entry.name };
    }
    return weekend ? { date, workday: false, reason: 'weekend' } : { date, workday: true, reason: 'weekday' };
  }
}

/** Builds a working-day calendar from admin overrides and admin-entered years. */
export function createCalendar(options: CalendarOptions = {}): WorkCalendar {
  return new WorkCalendar(options);
}
