import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Db } from './connect.ts';
import { type Dialect, refreshPlannerStatistics } from './sql/index.ts';

type MigrationModule = { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> };

const DIR = join(import.meta.dirname, 'migrations');

/** Every `NNN-name.ts` file in migrations/, applied in name order; each exports `up(db, dialect)`. */
class FolderProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    const files = readdirSync(DIR)
      .filter((f) => /^\d{3}-[a-z0-9-]+\.ts$/.test(f))
      .sort();
    for (const file of files) {
      const mod = (await import(join(DIR, file))) as MigrationModule;
      out[file.replace(/\.ts$/, '')] = { up: (db) => mod.up(db, this.dialect) };
    }
    return out;
  }
}

/** Brings the schema up to date; returns the names of the migrations applied now. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // PostgreSQL: keep Kysely's bookkeeping in our own schema; without this it finds another schema's
  // migration tables on the search path and never creates its own.
  const schema =
    db.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db: db.kysely as Kysely<unknown>,
    provider: new FolderProvider(db.dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  // New indexes have no statistics yet; without them the planner guesses (see refreshPlannerStatistics).
  if (applied.length) await refreshPlannerStatistics(db.kysely as Kysely<unknown>, db.dialect);
  return applied;
}
