import { type ColumnDefinitionBuilder, type Kysely, type SelectQueryBuilder, sql } from 'kysely';

/**
 * The only dialect-specific code. Each difference is a `Record<Dialect, …>` so that a forgotten dialect is a
 * compile error.
 */
export type Dialect = 'sqlite' | 'postgres';

type ColumnBuilder = (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

const ID_COLUMN: Record<Dialect, ColumnBuilder> = {
  sqlite: (col) => col.primaryKey().autoIncrement(),
  postgres: (col) => col.primaryKey().generatedByDefaultAsIdentity(),
};

/** An auto-incrementing integer primary key. */
export function idColumn(dialect: Dialect): ColumnBuilder {
  return ID_COLUMN[dialect];
}

/**
 * Locks the selected rows for this transaction and skips rows another transaction holds, so that two app nodes
 * never sweep the same order. SQLite has one writer at a time, so nothing is needed there.
 */
export function forUpdateSkipLocked<DB, TB extends keyof DB, O>(
  dialect: Dialect,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  const lock: Record<Dialect, () => SelectQueryBuilder<DB, TB, O>> = {
    sqlite: () => query,
    postgres: () => query.forUpdate().skipLocked(),
  };
  return lock[dialect]();
}

/** Whether a driver error is a foreign-key violation (SQLite and PostgreSQL name it differently). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/** Server version string for diagnostics and benchmarks. */
export async function serverVersion(db: Kysely<unknown>, dialect: Dialect): Promise<string> {
  const query: Record<Dialect, () => Promise<string>> = {
    sqlite: async () => {
      const r = await sql<{ v: string }>`select sqlite_version() as v`.execute(db);
      return `SQLite ${r.rows[0]?.v}`;
    },
    postgres: async () => {
      const r = await sql<{ v: string }>`show server_version`.execute(db);
      return `PostgreSQL ${(r.rows[0] as unknown as { server_version: string }).server_version}`;
    },
  };
  return query[dialect]();
}

/**
 * Whether a database error means the input itself was unusable (a number out of the column's range, a NUL
 * character in text): PostgreSQL rejects such values where SQLite stores them. The API answers 400, not 500.
 */
export function isInvalidInputError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // 22003 numeric_value_out_of_range, 22P02 invalid_text_representation, 22021 character_not_in_repertoire /
  // invalid byte sequence, 22001 string_data_right_truncation, 22008 datetime_field_overflow.
  return typeof code === 'string' && ['22003', '22P02', '22021', '22001', '22008'].includes(code);
}

/**
 * Refreshes the statistics the query planner chooses indexes by. SQLite: a full ANALYZE — the sampled one of
 * `PRAGMA optimize` (analysis_limit) guessed that a unit's orders without a deadline were a handful when they
 * were 200,000, and sent an empty work queue on a 0.4 s walk; a full pass over a million orders takes seconds.
 * PostgreSQL: ANALYZE (autovacuum also does this; after a migration or a bulk import it should not wait).
 */
export async function refreshPlannerStatistics(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`pragma analysis_limit = 0`.execute(db);
    await sql`analyze`.execute(db);
    return;
  }
  // Only GridVoice's own schema: a bare ANALYZE would also walk every other schema of the database.
  const tables = await sql<{ t: string }>`select tablename as t from pg_tables where schemaname = current_schema()`.execute(db);
  if (tables.rows.length) await sql`analyze ${sql.join(tables.rows.map((r) => sql.id(r.t)))}`.execute(db);
}
