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
