import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

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

  /** The policy version in force at the instant: the latest effective_from not after it. */
  policyAt(at: string, q: Q = this.db) {
    return q
      .selectFrom('time_policies')
      .selectAll()
      .where('effective_from', '<=', at)
      .orderBy('effective_from', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
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
}
