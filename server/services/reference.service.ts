import type { Kysely, Transaction } from 'kysely';
import { type ClassDef, DEFAULT_CLASSES } from '../../core/taxonomy.ts';
import { DEFAULT_TIME_POLICY, type TimePolicyRules, validateTimePolicy } from '../../core/time-policy.ts';
import type { Database } from '../db/schema.ts';
import {
  createCalendar,
  isIsoDate,
  isWeekendDate,
  PACKAGE_YEARS,
  packageYearDays,
  shanghaiDate,
  type WorkCalendar,
  type YearDay,
} from '../domain/calendar.ts';
import { AppError, invalidField } from '../errors.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { ReferenceRepository } from '../repositories/reference.repository.ts';
import { type Actor, requirePermission } from './actor.ts';

type Q = Kysely<Database> | Transaction<Database>;

const CALENDAR_TTL_MS = 30_000;
const CLASS_TTL_MS = 5_000;

export interface PolicyVersion {
  id: number;
  effectiveFrom: string;
  rules: TimePolicyRules;
  note: string;
}

/** Taxonomy, time-limit policies and the working-day calendar, as admins maintain them. */
/** The note of the built-in time-limit policy, as the admin page shows it. */
const DEFAULT_POLICY_NOTE = '出厂默认时限 Default time limits';

export class ReferenceService {
  private calendarCache: { cal: WorkCalendar; at: number } | null = null;
  private classCache: { list: ReadonlyArray<ClassDef & { active: boolean }>; at: number } | null = null;
  private readonly policyCache = new Map<number, PolicyVersion>();
  /** Every policy version, newest effective first, as of the newest version id seen. */
  private versions: { latestId: number; list: PolicyVersion[] } | null = null;

  constructor(
    private readonly repo: ReferenceRepository,
    private readonly clock: Clock,
    private readonly db: Kysely<Database>,
  ) {}

  /** Installs the default classes and the default policy where missing (every start; idempotent). */
  async ensureDefaults(): Promise<void> {
    await this.repo.insertClasses(
      DEFAULT_CLASSES.map((c, i) => ({ code: c.code, parent_code: c.parent, family: c.family, zh: c.zh, en: c.en, sort: i })),
    );
    if ((await this.repo.listPolicies()).length === 0) {
      await this.repo.insertPolicy({
        effective_from: '2000-01-01T00:00:00.000Z',
        rules: JSON.stringify(DEFAULT_TIME_POLICY),
        note: DEFAULT_POLICY_NOTE,
        created_by: null,
        created_at: iso(this.clock()),
      });
    }
    // Installations from before the note was written for people still show the old one.
    await this.repo.renamePolicyNote('DESIGN §5 defaults', DEFAULT_POLICY_NOTE);
    await this.warm();
  }

  /** Loads the calendar and every policy version so that later calls inside transactions hit the cache. */
  async warm(): Promise<void> {
    await this.loadCalendar();
    await this.policies();
  }

  /**
   * Every class (active and retired), as ClassDef plus the active flag. Read at every intake, classification
   * and report, so kept for CLASS_TTL_MS: this process drops it when an admin edits a class here, other app
   * nodes see the edit within the TTL.
   */
  async classes(q?: Q): Promise<ReadonlyArray<Readonly<ClassDef & { active: boolean }>>> {
    const now = performance.now();
    if (this.classCache && now - this.classCache.at < CLASS_TTL_MS) return this.classCache.list;
    const list = (await this.repo.listClasses(q)).map((c) => ({
      code: c.code,
      parent: c.parent_code,
      family: c.family as ClassDef['family'],
      zh: c.zh,
      en: c.en,
      active: c.active === 1,
    }));
    this.classCache = { list, at: now };
    return list;
  }

  /** Adds a class under an existing one (admin); codes are permanent. */
  async createClass(actor: Actor, input: { code: string; parent: string | null; zh: string; en: string }): Promise<void> {
    requirePermission(actor, 'admin.taxonomy');
    if (await this.repo.findClass(input.code)) throw invalidField('code', 'is already used; codes never change once used');
    let family: string = 'general';
    if (input.parent !== null) {
      const parent = await this.repo.findClass(input.parent);
      if (!parent) throw invalidField('parent', 'no such class');
      if (!input.code.startsWith(`${input.parent}.`)) throw invalidField('code', `must start with "${input.parent}."`);
      family = parent.family;
    }
    const sort = (await this.repo.listClasses()).length;
    await this.repo.insertClasses([{ code: input.code, parent_code: input.parent, family, zh: input.zh, en: input.en, sort }]);
    this.classCache = null;
  }

  /** Renames or retires a class (admin); the code stays. */
  async updateClass(actor: Actor, code: string, input: { zh?: string; en?: string; active?: boolean }): Promise<void> {
    requirePermission(actor, 'admin.taxonomy');
    if (!(await this.repo.findClass(code))) throw new AppError('not_found', `Class ${code} not found`);
    await this.repo.updateClass(code, {
      ...(input.zh !== undefined ? { zh: input.zh } : {}),
      ...(input.en !== undefined ? { en: input.en } : {}),
      ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
    });
    this.classCache = null;
  }

  /** The policy version in force at an instant. */
  async policyAt(at: Date, q?: Q): Promise<PolicyVersion> {
    // Versions are immutable and only added, so the list held here is whole while the newest id is the one it was
    // read at: one keyed look-up per intake instead of reading and parsing the version, and a version added on
    // another app node is seen at once.
    const latestId = await this.repo.latestPolicyId(q);
    if (this.versions?.latestId !== latestId) {
      const list = (await this.repo.listPolicies(q)).map((r) => this.policyCache.get(r.id) ?? this.cachePolicy(r));
      this.versions = { latestId, list };
    }
    // The latest effective_from not after the instant (the list is ordered as the repository's policyAt orders).
    const t = iso(at);
    const v = this.versions.list.find((p) => p.effectiveFrom <= t);
    if (!v) throw new Error('no time policy in force; ensureDefaults() was not run');
    return v;
  }

  /** A policy version by id (orders carry the id they were stamped with). */
  async policy(id: number, q?: Q): Promise<PolicyVersion> {
    const cached = this.policyCache.get(id);
    if (cached) return cached;
    const row = await this.repo.findPolicy(id, q);
    if (!row) throw new Error(`time policy ${id} missing`);
    return this.cachePolicy(row);
  }

  private cachePolicy(row: { id: number; effective_from: string; rules: string; note: string }): PolicyVersion {
    // Versions are immutable once written, so caching by id is always correct.
    const v = { id: row.id, effectiveFrom: row.effective_from, rules: JSON.parse(row.rules) as TimePolicyRules, note: row.note };
    this.policyCache.set(row.id, v);
    return v;
  }

  /** All policy versions, newest first. */
  async policies(): Promise<PolicyVersion[]> {
    return (await this.repo.listPolicies()).map((r) => this.cachePolicy(r));
  }

  /** Adds a policy version taking effect at `effectiveFrom` (admin); versions are never edited. */
  async createPolicy(actor: Actor, input: { effectiveFrom: string; rules: unknown; note: string }): Promise<PolicyVersion> {
    requirePermission(actor, 'admin.policies');
    const checked = validateTimePolicy(input.rules);
    if (!checked.ok)
      throw new AppError('validation_failed', `rules: ${checked.problems.join('; ')}`, { field: 'rules', problems: checked.problems });
    const at = Date.parse(input.effectiveFrom);
    if (Number.isNaN(at)) throw invalidField('effectiveFrom', 'must be an ISO date-time');
    const id = await this.repo.insertPolicy({
      effective_from: new Date(at).toISOString(),
      rules: JSON.stringify(checked.value),
      note: input.note,
      created_by: actor.userId,
      created_at: iso(this.clock()),
    });
    return this.policy(id);
  }

  /** The working-day calendar with admin overrides (cached briefly; other app nodes pick changes up within the TTL). */
  async calendar(q?: Q): Promise<WorkCalendar> {
    const now = Date.now();
    const cached = this.calendarCache;
    if (cached && now - cached.at < CALENDAR_TTL_MS) return cached.cal;
    if (cached && !q) {
      // Stale: answer with what we have and refresh in the background. Awaiting a load here could deadlock a
      // caller inside a transaction on SQLite, whose one connection that transaction holds.
      cached.at = now;
      void this.loadCalendar().catch(() => {
        cached.at = 0;
      });
      return cached.cal;
    }
    return this.loadCalendar(q);
  }

  private async loadCalendar(q?: Q): Promise<WorkCalendar> {
    const now = Date.now();
    const [overrides, years, days] = await Promise.all([this.repo.listOverrides(q), this.repo.listYears(q), this.repo.listYearDays(q)]);
    const cal = createCalendar({
      overrides: overrides.map((o) => ({ date: o.date, workday: o.workday === 1, note: o.note })),
      adminYears: years.map((y) => y.year),
      yearDays: days.map((d) => ({ date: d.date, workday: d.workday === 1, name: d.name })),
    });
    this.calendarCache = { cal, at: now };
    return cal;
  }

  /** Admin overrides and admin-entered years. */
  async calendarData() {
    const [overrides, years] = await Promise.all([this.repo.listOverrides(), this.repo.listYears()]);
    return {
      overrides: overrides.map((o) => ({ date: o.date, workday: o.workday === 1, note: o.note })),
      years: years.map((y) => ({ year: y.year, note: y.note })),
    };
  }

  /** Marks one date a working day or a day off (admin), e.g. a local emergency or a day of a new year's calendar. */
  async setOverride(actor: Actor, input: { date: string; workday: boolean; note: string }): Promise<void> {
    requirePermission(actor, 'admin.calendar');
    if (!isIsoDate(input.date)) throw invalidField('date', 'must be a valid YYYY-MM-DD date');
    await this.repo.upsertOverride({
      date: input.date,
      workday: input.workday ? 1 : 0,
      note: input.note,
      created_by: actor.userId,
      created_at: iso(this.clock()),
    });
    this.calendarCache = null;
  }

  /** Removes an override (admin). */
  async deleteOverride(actor: Actor, date: string): Promise<void> {
    requirePermission(actor, 'admin.calendar');
    if ((await this.repo.deleteOverride(date)) === 0) throw new AppError('not_found', `No override on ${date}`);
    this.calendarCache = null;
  }

  /** Declares a year's official calendar complete (admin), so its deadlines are no longer provisional. */
  async addYear(actor: Actor, input: { year: number; note: string }): Promise<void> {
    requirePermission(actor, 'admin.calendar');
    await this.repo.upsertYear({ year: input.year, note: input.note, created_by: actor.userId, created_at: iso(this.clock()) });
    this.calendarCache = null;
  }

  /**
   * Which year's holiday calendar is missing now: this year's if it has none, and from 1 November next year's
   * (the State Council publishes it in the autumn; until it is entered, deadlines reaching into it are provisional).
   */
  async calendarStatus() {
    const today = shanghaiDate(this.clock());
    const year = Number(today.slice(0, 4));
    const cal = await this.calendar();
    const fromNovember = Number(today.slice(5, 7)) >= 11;
    const missing = !cal.isCovered(year) ? year : fromNovember && !cal.isCovered(year + 1) ? year + 1 : null;
    return { today, year, nextYear: year + 1, nextYearCovered: cal.isCovered(year + 1), missing, warn: missing !== null };
  }

  /** Every year with a calendar (built in or entered) and the years around today, with where each comes from. */
  async calendarYears() {
    const [entered, days, status] = await Promise.all([this.repo.listYears(), this.repo.listYearDays(), this.calendarStatus()]);
    const years = new Set<number>([...PACKAGE_YEARS, ...entered.map((y) => y.year), status.year, status.nextYear]);
    return {
      status,
      years: [...years]
        .sort((a, b) => b - a)
        .map((year) => {
          const builtin = PACKAGE_YEARS.includes(year);
          const e = entered.find((y) => y.year === year);
          const list = builtin ? packageYearDays(year) : days.filter((d) => d.year === year).map((d) => ({ workday: d.workday === 1 }));
          return {
            year,
            source: builtin ? ('builtin' as const) : e ? ('admin' as const) : ('none' as const),
            note: builtin ? '' : (e?.note ?? ''),
            holidays: list.filter((d) => !d.workday).length,
            makeupDays: list.filter((d) => d.workday).length,
          };
        }),
    };
  }

  /** One year's holidays and make-up working days: the built-in data, or what an admin entered. */
  async calendarYear(year: number) {
    if (PACKAGE_YEARS.includes(year)) return { year, source: 'builtin' as const, note: '', days: packageYearDays(year) };
    const [entered, days] = await Promise.all([this.repo.listYears(), this.repo.listYearDays()]);
    const e = entered.find((y) => y.year === year);
    return {
      year,
      source: e ? ('admin' as const) : ('none' as const),
      note: e?.note ?? '',
      days: days.filter((d) => d.year === year).map((d) => ({ date: d.date, workday: d.workday === 1, name: d.name })),
    };
  }

  /**
   * Enters (or corrects) a year's official holiday calendar from the State Council notice (admin): every day off and
   * every weekend make-up working day. Built-in years are read-only. Deadlines in the year then count with it.
   */
  async enterYear(actor: Actor, year: number, input: { note: string; days: YearDay[] }) {
    requirePermission(actor, 'admin.calendar');
    if (PACKAGE_YEARS.includes(year)) throw invalidField('year', 'this year is built in and read-only');
    if (!input.days.some((d) => !d.workday)) throw invalidField('days', 'a year has at least one holiday');
    const seen = new Set<string>();
    input.days.forEach((d, i) => {
      if (!isIsoDate(d.date) || Number(d.date.slice(0, 4)) !== year) throw invalidField(`days[${i}].date`, `must be a date of ${year}`);
      if (seen.has(d.date)) throw invalidField(`days[${i}].date`, 'appears twice');
      seen.add(d.date);
      if (d.workday && !isWeekendDate(d.date)) throw invalidField(`days[${i}].date`, 'a make-up working day falls on a Saturday or Sunday');
      if (!d.name.trim()) throw invalidField(`days[${i}].name`, 'is required');
    });
    const write = (q: Kysely<Database> | Transaction<Database>) =>
      this.repo.replaceYear(
        { year, note: input.note, created_by: actor.userId, created_at: iso(this.clock()) },
        input.days.map((d) => ({ date: d.date, workday: d.workday ? 1 : 0, name: d.name.trim() })),
        q,
      );
    // The days and the year's mark go in together: a half-entered year must never count as covered.
    await this.db.transaction().execute(write);
    this.calendarCache = null;
    return this.calendarYear(year);
  }
}
