import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';

/**
 * The only dialect-specific code. Each difference is a `Record<Dialect, …>` so that a forgotten dialect is a
 * compile error.
 */
export type Dialect = 'sqlite' | 'postgres';

/** Locks the selected rows for this transaction on PostgreSQL; SQLite has one writer at a time, so nothing is needed. */
export function forUpdate<DB, TB extends keyof DB, O>(
  dialect: Dialect,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  const lock: Record<Dialect, () => SelectQueryBuilder<DB, TB, O>> = { sqlite: () => query, postgres: () => query.forUpdate() };
  return lock[dialect]();
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

/** Resolves when the database answers a trivial query (the same on both dialects), rejects otherwise. */
export async function ping<DB>(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
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

/** Node socket errors that mean the database server cannot be reached or went away. */
const LOST_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether an error means the database connection was lost or could not be had (a terminated backend, a restart,
 * a failover, a full pool that did not free up in time), not that the statement was wrong. Such a request may be
 * retried: nothing of it was acknowledged. SQLite is a file in the process and never loses its connection.
 */
export function isConnectionLostError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Class 08 connection_exception; 57P01-57P03 admin/crash shutdown and cannot_connect_now; 53300 too_many_connections.
    if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
    if (LOST_SOCKET_CODES.has(code)) return true;
  }
  // node-postgres reports these without a code.
  return /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable/i.test(
    err.message,
  );
}

/**
 * Refreshes the statistics the query planner chooses indexes by. SQLite: a full ANALYZE — the sampled one of
 * `PRAGMA optimize` (analysis_limit) guessed that a unit's orders without a deadline were a handful when they
 * were 200,000, and sent an empty work queue on a 0.4 s walk; a full pass over a million orders takes seconds.
 * PostgreSQL: ANALYZE of the given tables, or of every table of GridVoice's own schema.
 */
export async function refreshPlannerStatistics(db: Kysely<unknown>, dialect: Dialect, tables?: readonly string[]): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`pragma analysis_limit = 0`.execute(db);
    await sql`analyze`.execute(db);
    return;
  }
  // Only GridVoice's own schema: a bare ANALYZE would also walk every other schema of the database.
  const names =
    tables ??
    (await sql<{ t: string }>`select tablename as t from pg_tables where schemaname = current_schema()`.execute(db)).rows.map((r) => r.t);
  if (names.length) await sql`analyze ${sql.join(names.map((t) => sql.id(t)))}`.execute(db);
}

/**
 * Statistics count as stale once a table holds at least this many rows more than at its last analysis, and at
 * least twice as many: the planner's choices hold within a factor of two, and a refresh then costs no more than
 * the growth it follows. The floor keeps a small database from being analyzed on every few orders.
 */
const STALE_MIN_GROWTH = 200;
/** The same floor for the search segments (SQLite's `ticket_fts_data`), counted in their large rows. */
const STALE_MIN_SEGMENT_GROWTH = 50;

const STALE_TABLES: Record<Dialect, (db: Kysely<unknown>) => Promise<string[]>> = {
  // Every large table grows with the orders (events, search segments, statistics rows), so the orders stand for
  // them all: their count at the last ANALYZE is in sqlite_stat1 (no row when the table was empty then), and
  // max(id) is their count now without a scan. Stale statistics were a cliff here: analyzed on an empty database,
  // sqlite_stat1 says the search segments (`ticket_fts_data`) are 2 rows, and the segment merge that every few
  // intakes run then plans its `DELETE … WHERE id >= ? AND id <= ?` as a full scan of the whole index.
  // The search segments are checked on their own: they grow when orders are indexed after they were loaded (the
  // backfill of an import, a rebuilt index), with no new order to show it.
  sqlite: async (db) => {
    const analyzedRows = async (table: string) => {
      const stat = await sql<{ stat: string }>`select stat from sqlite_stat1 where tbl = ${table} limit 1`.execute(db).catch(() => null);
      return Number.parseInt(stat?.rows[0]?.stat ?? '0', 10) || 0;
    };
    const grown = (now: number, analyzed: number, floor: number) => now - analyzed >= floor && now >= 2 * analyzed;
    const orders = Number((await sql<{ n: number | null }>`select max(id) as n from tickets`.execute(db)).rows[0]?.n ?? 0);
    if (grown(orders, await analyzedRows('tickets'), STALE_MIN_GROWTH)) return ['*'];
    // A segment row holds a whole leaf of the index (a few hundred orders' words), so the rows are few and large:
    // a lower floor, and a count that reads only a few thousand rows' headers at a million orders.
    const segments = await sql<{ n: number }>`select count(*) as n from ticket_fts_data`.execute(db).catch(() => null);
    return grown(Number(segments?.rows[0]?.n ?? 0), await analyzedRows('ticket_fts_data'), STALE_MIN_SEGMENT_GROWTH) ? ['*'] : [];
  },
  // The tables changed since their last analysis by at least as many rows as they held then (reltuples; -1 when
  // never analyzed). Autovacuum gets there too, but only after its nap and a 10 % threshold per table.
  postgres: async (db) => {
    const r = await sql<{ t: string }>`select s.relname as t from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      where s.schemaname = current_schema() and s.n_mod_since_analyze >= ${STALE_MIN_GROWTH}
        and s.n_mod_since_analyze >= greatest(c.reltuples, 0)`.execute(db);
    return r.rows.map((x) => x.t);
  },
};

/**
 * Refreshes the planner's statistics when the tables have grown since their last analysis (see STALE_TABLES):
 * at start-up, after an import or another bulk job, and on the jobs' periodic pass. Cheap when nothing grew (a
 * look-up or two). Returns whether it refreshed.
 */
export async function refreshStalePlannerStatistics(db: Kysely<unknown>, dialect: Dialect): Promise<boolean> {
  const stale = await STALE_TABLES[dialect](db);
  if (!stale.length) return false;
  await refreshPlannerStatistics(db, dialect, dialect === 'postgres' ? stale : undefined);
  return true;
}
