import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

/**
 * KPI targets an administrator sets per unit (a unit without its own takes the nearest one above it), with an
 * append-only history of every change (who, when, from what to what); and the days of a year's holiday
 * calendar an administrator enters from the State Council notice when the built-in data has no such year.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  // The id column as it was when this migration shipped, written out here so that it never changes meaning.
  const id = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  const s = db.schema;

  await s
    .createTable('kpi_targets')
    .addColumn('kpi', 'text', (c) => c.notNull())
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('target', 'double precision', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('kpi_targets_pk', ['kpi', 'org_unit_id'])
    .execute();

  await s
    .createTable('kpi_target_changes')
    .addColumn('id', 'integer', id)
    .addColumn('kpi', 'text', (c) => c.notNull())
    .addColumn('org_unit_id', 'integer', (c) => c.notNull())
    // null before: the target was set for the first time; null after: it was removed.
    .addColumn('old_target', 'double precision')
    .addColumn('new_target', 'double precision')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'integer')
    .addColumn('changed_by_name', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('kpi_target_changes_at').on('kpi_target_changes').columns(['changed_at', 'id']).execute();

  await s
    .createTable('calendar_year_days')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    // 0: a statutory holiday (放假); 1: a make-up working day on a weekend (调休上班).
    .addColumn('workday', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('calendar_year_days_year').on('calendar_year_days').column('year').execute();
}
