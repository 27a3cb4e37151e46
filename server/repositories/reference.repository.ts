import type { Kysely, Transaction } from 'kysely';
import { prepared } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

const LATEST_POLICY_ID = prepared<Record<string, never>, { id: number | null }>((db) =>
  db.selectFrom('time_policies').select((eb) => eb.fn.max('id').as('id')),
);

/** Admin-maintained reference data: classes, time policies, calendar overrides and years. */
export class ReferenceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  listClasses(q: Q = this.db) {
    return q.selectFrom('classes').selectAll().orderBy('sort').orderBy('code').execute();
  }

  findClass(code: string, q: Q = this.db) {
    return q.selectFrom('classes').selectAll().where('code', '=', code).executeTakeFirst();
  }

  async insertClasses(
    rows: Array<{ code: string; parent_code: string | null; family: string; zh: string; en: string; sort: number }>,
    q: Q = this.db,
  ): Promise<void> {
    if (rows.length === 0) return;
    await q
      .insertInto('classes')
      .values(rows.map((r) => ({ ...r, active: 1 })))
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }

  async updateClass(code: string, set: { zh?: string; en?: string; active?: number }, q: Q = this.db): Promise<void> {
    await q.updateTable('classes').set(set).where('code', '=', code).execute();
  }

  listPolicies(q: Q = this.db) {
    return q.selectFrom('time_policies').selectAll().orderBy('effective_from', 'desc').orderBy('id', 'desc').execute();
  }

  /** The id of the newest policy version (versions are only ever added): a cheap check that a cached list is whole. */
  async latestPolicyId(q: Q = this.db): Promise<number> {
    return Number((await LATEST_POLICY_ID(q, {})).rows[0]?.id ?? 0);
  }

  findPolicy(id: number, q: Q = this.db) {
    return q.selectFrom('time_policies').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertPolicy(
    p: { effective_from: string; rules: string; note: string; created_by: number | null; created_at: string },
    q: Q = this.db,
  ): Promise<number> {
    const r = await q.insertInto('time_policies').values(p).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  /** Rewrites the note of policy versions that carry `from` (the note is text for people, not part of the rules). */
  async renamePolicyNote(from: string, to: string, q: Q = this.db): Promise<void> {
    await q.updateTable('time_policies').set({ note: to }).where('note', '=', from).execute();
  }

  listOverrides(q: Q = this.db) {
    return q.selectFrom('calendar_overrides').selectAll().orderBy('date').execute();
  }

  async upsertOverride(
    o: { date: string; workday: number; note: string; created_by: number | null; created_at: string },
    q: Q = this.db,
  ): Promise<void> {
    await q
      .insertInto('calendar_overrides')
      .values(o)
      .onConflict((oc) =>
        oc.column('date').doUpdateSet({ workday: o.workday, note: o.note, created_by: o.created_by, created_at: o.created_at }),
      )
      .execute();
  }

  async deleteOverride(date: string, q: Q = this.db): Promise<number> {
    const r = await q.deleteFrom('calendar_overrides').where('date', '=', date).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  listYears(q: Q = this.db) {
    return q.selectFrom('calendar_years').selectAll().orderBy('year').execute();
  }

  async upsertYear(y: { year: number; note: string; created_by: number | null; created_at: string }, q: Q = this.db): Promise<void> {
    await q
      .insertInto('calendar_years')
      .values(y)
      .onConflict((oc) => oc.column('year').doUpdateSet({ note: y.note }))
      .execute();
  }

  /** The days of every admin-entered year. */
  listYearDays(q: Q = this.db) {
    return q.selectFrom('calendar_year_days').selectAll().orderBy('date').execute();
  }

  /** Replaces a year's entered days and records the year as entered, in the caller's transaction. */
  async replaceYear(
    y: { year: number; note: string; created_by: number | null; created_at: string },
    days: Array<{ date: string; workday: number; name: string }>,
    q: Q,
  ): Promise<void> {
    await q.deleteFrom('calendar_year_days').where('year', '=', y.year).execute();
    if (days.length)
      await q
        .insertInto('calendar_year_days')
        .values(days.map((d) => ({ ...d, year: y.year })))
        .execute();
    await q
      .insertInto('calendar_years')
      .values(y)
      .onConflict((oc) => oc.column('year').doUpdateSet({ note: y.note, created_by: y.created_by, created_at: y.created_at }))
      .execute();
  }
}
