import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Db } from './connect.ts';
import { type Dialect, refreshPlannerStatistics } from './sql/index.ts';

type MigrationModule = { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> };

const DIR = join(import.meta.dirname, 'migrations');

/**
 * The schema release this code writes. Migrations are expand/contract: a release only adds (tables, nullable
 * or defaulted columns, indexes) what the release before it can ignore, and drops or narrows only what the
 * release before it already stopped using. So a node runs on a schema up to one release newer than its own.
 * Raise this by one in every release that adds a migration.
 */
export const SCHEMA_RELEASE = 4;

function migrationNames(): string[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.ts$/.test(f))
    .sort()
    .map((f) => f.replace(/\.ts$/, ''));
}

/** Every `NNN-name.ts` file in migrations/, applied in name order; each exports `up(db, dialect)`. */
class FolderProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const name of migrationNames()) {
      const mod = (await import(join(DIR, `${name}.ts`))) as MigrationModule;
      out[name] = { up: (db) => mod.up(db, this.dialect) };
    }
    return out;
  }
}

/** Where the schema stands against this code. */
export interface SchemaStatus {
  /** Migrations of this code not yet applied. */
  pending: string[];
  /** Applied migrations this code does not know (the schema was migrated by newer code). */
  unknown: string[];
  /** The release recorded by the last `migrate` (0: an empty database). */
  release: number;
}

/** Reads the applied migrations and the recorded schema release (an empty database has neither table). */
export async function schemaStatus(db: Db): Promise<SchemaStatus> {
  const k = db.kysely as unknown as Kysely<{ kysely_migration: { name: string }; meta: { key: string; value: string } }>;
  let applied: string[] = [];
  let release = 0;
  try {
    applied = (await k.selectFrom('kysely_migration').select('name').execute()).map((r) => r.name);
    const row = await k.selectFrom('meta').select('value').where('key', '=', 'schema_release').executeTakeFirst();
    // Schemas migrated before releases were recorded are release 1.
    release = row ? Number(row.value) : applied.length > 0 ? 1 : 0;
  } catch {
    // No migration table yet: an empty database.
  }
  const known = migrationNames();
  return { pending: known.filter((n) => !applied.includes(n)), unknown: applied.filter((n) => !known.includes(n)), release };
}

/**
 * Runs `fn` holding a PostgreSQL advisory lock for this schema (SQLite: one process, nothing to lock), so that
 * nodes starting together on one database migrate and seed it once, one after the other.
 */
export async function withSchemaLock<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (db.dialect !== 'postgres') return fn();
  // A session lock on a connection of its own: the work itself runs on other connections of the pool.
  return db.kysely.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext(current_schema() || '.gridvoice.schema'))`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(current_schema() || '.gridvoice.schema'))`.execute(conn);
    }
  });
}

async function migratorOf(db: Db): Promise<Migrator> {
  // PostgreSQL: keep Kysely's bookkeeping in our own schema; without this it finds another schema's
  // migration tables on the search path and never creates its own.
  const schema =
    db.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s : undefined;
  return new Migrator({
    db: db.kysely as Kysely<unknown>,
    provider: new FolderProvider(db.dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** Applies the migrations up to and including `name` only (tests build a database as an older release left it). */
export async function migrateTo(db: Db, name: string): Promise<void> {
  const { error } = await (await migratorOf(db)).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Brings the schema up to date and records this code's release; returns the names of the migrations applied now. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await (await migratorOf(db)).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  const release = String(SCHEMA_RELEASE);
  await db.kysely
    .insertInto('meta')
    .values({ key: 'schema_release', value: release })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: release }))
    .execute();
  // New indexes have no statistics yet; without them the planner guesses (see refreshPlannerStatistics).
  if (applied.length) await refreshPlannerStatistics(db.kysely as Kysely<unknown>, db.dialect);
  return applied;
}
