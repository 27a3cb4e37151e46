import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { statementName } from './prepared.ts';
import type { Database } from './schema.ts';
import type { Dialect } from './sql/index.ts';

/** The connection pool's occupancy (PostgreSQL); SQLite has one connection and reports none. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: Dialect;
  /** Pool occupancy for the metrics; null on SQLite. */
  poolStats(): PoolStats | null;
  close(): Promise<void>;
}

/** Where lost connections are reported (a pino logger). */
export interface DbLog {
  warn(obj: object, msg: string): void;
}

/** How long a request waits for a connection before it fails as `database_unavailable` instead of hanging. */
const CONNECT_TIMEOUT_MS = 5_000;

// PostgreSQL returns int8 (bigint, count(*)) as strings; every such value here fits a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely prepares every SQLite statement anew; preparing costs as much as running a short query. Kysely
 * compiles the same SQL text for the same query shape, so prepared statements are reused by text (LRU).
 * Reuse is safe because Kysely runs one statement at a time on the connection.
 */
function withStatementCache(db: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = db.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

// JIT off: it compiles a plan whose cost estimate looks large (a search over a million orders) for 30-45 ms,
// longer than the short queries of this application run; OLTP servers commonly switch it off.
function options(searchPath: string | undefined): string {
  return ['-c jit=off', ...(searchPath ? [`-c search_path=${searchPath}`] : [])].join(' ');
}

function pgPool(url: string, max: number, options: string, applicationName: string | undefined, log: DbLog): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    options,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Names the node's sessions in pg_stat_activity; by default only when neither the URL nor PGAPPNAME does.
    ...(applicationName ? { application_name: applicationName } : { fallback_application_name: 'gridvoice' }),
  });
  // A connection the server ends (pg_terminate_backend, a restart, a failover) emits 'error'; unheard, that event
  // would end the process. The pool drops an idle one by itself; a checked-out one makes its next query fail, and
  // the pool discards it on release. Either way only the requests on that connection fail.
  pool.on('connect', (client) => {
    client.on('error', (err) => log.warn({ err }, 'database connection lost'));
    namePreparedStatements(client);
  });
  // The pool repeats an idle connection's error here; the connection's own listener above has logged it.
  pool.on('error', () => {});
  return pool;
}

/**
 * Runs the queries compiled once by prepared.ts (intake, the order detail, statistics) as named prepared
 * statements of the connection: PostgreSQL then parses and plans each once per connection, not at every run (an
 * order's insert has some 75 parameters). Kysely passes the SQL and its values; everything else runs unnamed.
 */
function namePreparedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    const name = typeof text === 'string' && Array.isArray(values) && rest.length === 0 ? statementName(text) : undefined;
    return name ? query({ name, text, values }) : query(text, values, ...rest);
  };
}

/** Opens the database named by the URL: `sqlite:<file>`, `sqlite::memory:`, or `postgres://…`. */
export function connect(url: string, opts: { searchPath?: string; poolSize?: number; log?: DbLog; applicationName?: string } = {}): Db {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const log = opts.log ?? pino({ base: { component: 'db' } });
    const pool = pgPool(url, opts.poolSize ?? 10, options(opts.searchPath), opts.applicationName, log);
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      kysely,
      dialect: 'postgres',
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => kysely.destroy(),
    };
  }
  const file = url.replace(/^sqlite:/, '');
  if (file !== ':memory:') {
    // Created 0600 in a 0700 directory: it holds customers' data. SQLite gives its -wal and -shm files the
    // database file's mode.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!existsSync(file)) writeFileSync(file, '', { mode: 0o600 });
  }
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers (the CLI, backups) run beside the server; NORMAL is durable across process crashes.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { kysely, dialect: 'sqlite', poolStats: () => null, close: () => kysely.destroy() };
}
