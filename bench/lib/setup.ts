import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { prepare } from '../../server/bootstrap.ts';
import { type Config, loadConfig } from '../../server/config.ts';
import { createServices, type Services } from '../../server/container.ts';
import { connect, type Db } from '../../server/db/connect.ts';
import type { Dialect } from '../../server/db/sql/index.ts';
import { systemClock } from '../../server/lib/time.ts';

export const BENCH_PASSWORD = 'bench-pass-2026';
export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-01';
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/gridvoice_bench';

export interface BenchDb {
  dialect: Dialect;
  url: string;
  dataDir: string;
  config: Config;
  db: Db;
  services: Services;
  /** The environment a `gridvoice serve` child needs to use this database. */
  env: Record<string, string>;
}

/** Creates the PostgreSQL bench database (C.UTF-8, for Chinese) if missing and empties its public schema. */
async function resetPostgres(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount === 0) await c.query(`create database "${name}" encoding 'UTF8' locale 'C.UTF-8' template template0`);
  await c.end();
  const d = new pg.Client({ connectionString: url });
  await d.connect();
  await d.query('drop schema if exists public cascade');
  await d.query('create schema public');
  await d.end();
}

/**
 * A fresh, prepared database (migrations, reference data, demo organisation; no demo orders), or with
 * `reuseDir` the data dir of an earlier run (SQLite; PostgreSQL keeps its database), migrated to the latest.
 */
export async function openBenchDb(dialect: Dialect, reuseDir: string | null = null, opts: { pgSuffix?: string } = {}): Promise<BenchDb> {
  const dataDir = reuseDir ?? mkdtempSync(join(tmpdir(), 'gv-bench-'));
  let url = `sqlite:${join(dataDir, 'gridvoice.sqlite')}`;
  if (dialect === 'postgres') {
    const u = new URL(process.env.BENCH_DATABASE_URL || DEFAULT_PG);
    u.pathname += opts.pgSuffix ?? '';
    url = u.toString();
    if (!reuseDir) await resetPostgres(url);
  }
  const env = {
    GRIDVOICE_DATA_DIR: dataDir,
    GRIDVOICE_SECRET: BENCH_SECRET,
    GRIDVOICE_DEMO_PASSWORD: BENCH_PASSWORD,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    GRIDVOICE_SWEEPER_INTERVAL_MS: '0',
  };
  const config = loadConfig(env);
  const db = connect(url);
  const services = createServices(db, config, systemClock);
  await prepare(db, services, config, { demoTickets: false });
  return { dialect, url, dataDir, config, db, services, env };
}

/**
 * The raw baseline's own database: fresh, with the same schema and organisation as the benchmarked one but no
 * orders (SQLite: a new file; PostgreSQL: the bench database's name + `_raw`). Its writes never land among the
 * orders being measured, and its empty indexes make it, if anything, a little faster than ours would be.
 */
export function openBaselineDb(dialect: Dialect): Promise<BenchDb> {
  return openBenchDb(dialect, null, { pgSuffix: '_raw' });
}
