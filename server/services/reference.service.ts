import type { Kysely, Transaction } from 'kysely';
import { type ClassDef, DEFAULT_CLASSES } from '../../core/taxonomy.ts';
import { DEFAULT_TIME_POLICY, type TimePolicyRules, validateTimePolicy } from '../../core/time-policy.ts';
import type { Database } from '../db/schema.ts';
import { createCalendar, isIsoDate, type WorkCalendar } from '../domain/calendar.ts';
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
export class ReferenceService {
  private calendarCache: { cal: WorkCalendar; at: number } | null = null;
  private classCache: { list: ReadonlyArray<ClassDef & { active: boolean }>; at: number } | null = null;
  private readonly policyCache = new Map<number, PolicyVersion>();

  constructor(
    private readonly repo: ReferenceRepository,
    private readonly clock: Clock,
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
        note: 'DESIGN §5 defaults',
        created_by: null,
        created_at: iso(this.clock()),
      });
    }
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
    const row = await this.repo.policyAt(iso(at), q);
    if (!row) throw new Error('no time policy in force; ensureDefaults() was not run');
    return this.cachePolicy(row);
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
    const [overrides, years] = await Promise.all([this.repo.listOverrides(q), this.repo.listYears(q)]);
    const cal = createCalendar({
      overrides: overrides.map((o) => ({ date: o.date, workday: o.workday === 1, note: o.note })),
      adminYears: years.map((y) => y.year),
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
}
