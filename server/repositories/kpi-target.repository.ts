import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** KPI targets per unit and the append-only history of their changes. */
export class KpiTargetRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every target row (a few per unit at most). */
  list(q: Q = this.db) {
    return q.selectFrom('kpi_targets').selectAll().orderBy('org_unit_id').orderBy('kpi').execute();
  }

  find(kpi: string, orgUnitId: number, q: Q = this.db) {
    return q.selectFrom('kpi_targets').selectAll().where('kpi', '=', kpi).where('org_unit_id', '=', orgUnitId).executeTakeFirst();
  }

  async upsert(row: { kpi: string; org_unit_id: number; target: number; updated_by: number | null; updated_at: string }, q: Q) {
    await q
      .insertInto('kpi_targets')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['kpi', 'org_unit_id']).doUpdateSet({ target: row.target, updated_by: row.updated_by, updated_at: row.updated_at }),
      )
      .execute();
  }

  async remove(kpi: string, orgUnitId: number, q: Q): Promise<void> {
    await q.deleteFrom('kpi_targets').where('kpi', '=', kpi).where('org_unit_id', '=', orgUnitId).execute();
  }

  async logChange(
    row: {
      kpi: string;
      org_unit_id: number;
      old_target: number | null;
      new_target: number | null;
      note: string;
      changed_by: number | null;
      changed_by_name: string;
      changed_at: string;
    },
    q: Q,
  ): Promise<void> {
    await q.insertInto('kpi_target_changes').values(row).execute();
  }

  /** The newest changes first, of the given units. */
  changes(orgUnitIds: number[], limit: number, q: Q = this.db) {
    if (orgUnitIds.length === 0) return Promise.resolve([]);
    return q
      .selectFrom('kpi_target_changes')
      .selectAll()
      .where('org_unit_id', 'in', orgUnitIds)
      .orderBy('changed_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}
