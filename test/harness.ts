import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { type App, buildApp } from '../server/app.ts';
import { prepare } from '../server/bootstrap.ts';
import { type Config, loadConfig } from '../server/config.ts';
import { connect, type Db } from '../server/db/connect.ts';
import type { Dialect } from '../server/db/sql/index.ts';

export const DEMO_PASSWORD = 'demo-pass-2026';
const PG_URL = process.env.TEST_DATABASE_URL;

if (!PG_URL && process.env.CI === 'true') {
  throw new Error('CI=true but TEST_DATABASE_URL is not set: every database test must run on PostgreSQL in CI');
}
let noticePrinted = false;

/** Redis for the shared rate-limit tests (CI starts one); unset → those tests are skipped with a notice. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;
if (!TEST_REDIS_URL && process.env.CI === 'true') {
  throw new Error('CI=true but TEST_REDIS_URL is not set: the shared rate-limit tests must run against Redis in CI');
}

/** The dialects the database tests run on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function dialects(): Dialect[] {
  if (!PG_URL && !noticePrinted) {
    noticePrinted = true;
    process.stderr.write('\n*** NOTICE: TEST_DATABASE_URL is not set — PostgreSQL runs of the database tests are SKIPPED ***\n\n');
  }
  return PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** Runs the suite once per database: `describeEachDb('tickets API', (dialect) => { … })`. */
export function describeEachDb(name: string, fn: (dialect: Dialect) => void): void {
  for (const d of dialects()) describe(`${name} [${d}]`, () => fn(d));
  if (!PG_URL) describe.skip(`${name} [postgres] (TEST_DATABASE_URL not set)`, () => fn('postgres'));
}

export interface TestClock {
  (): Date;
  set(iso: string | Date): void;
  advance(ms: number): void;
}

/** A controllable clock for tests. */
export function testClock(start = '2026-11-02T02:00:00.000Z'): TestClock {
  let now = new Date(start);
  const clock = (() => new Date(now.getTime())) as TestClock;
  clock.set = (t) => {
    now = new Date(t);
  };
  clock.advance = (ms) => {
    now = new Date(now.getTime() + ms);
  };
  return clock;
}

export interface FreshDb {
  db: Db;
  url: string;
  /** Another connection (pool) to the same database, as a second node would open it. */
  connectAgain(): Db;
  drop(): Promise<void>;
}

/** A fresh, empty database of the dialect: a temp SQLite file or a new PostgreSQL schema. */
export async function freshDb(dialect: Dialect): Promise<FreshDb> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gv-test-'));
    const url = `sqlite:${join(dir, 'test.sqlite')}`;
    const db = connect(url);
    return { db, url, connectAgain: () => connect(url), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = connect(PG_URL as string, { searchPath: schema, poolSize: 4 });
  return {
    db,
    url: PG_URL as string,
    connectAgain: () => connect(PG_URL as string, { searchPath: schema, poolSize: 4 }),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: App;
  db: Db;
  config: Config;
  clock: TestClock;
  /** The environment the config was loaded from. */
  env: Record<string, string>;
  /** Another connection to the same database (see `secondNode`). */
  connectAgain(): Db;
  /** Logs a demo user in and returns headers carrying the session cookie and a same-origin Origin. */
  login(username: string, password?: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** Logs a user in on the app; returns headers carrying the session cookie and a same-origin Origin. */
export async function loginTo(app: App, username: string, password = DEMO_PASSWORD): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'gv_session');
  return { cookie: `gv_session=${cookie?.value}`, origin: 'http://localhost:80', host: 'localhost:80' };
}

/** An app over a fresh database with the demo organisation and users (no demo orders unless asked). */
export async function makeTestApp(
  dialect: Dialect,
  opts: { clock?: TestClock; env?: Record<string, string>; demoTickets?: boolean } = {},
): Promise<TestApp> {
  const clock = opts.clock ?? testClock();
  const fresh = await freshDb(dialect);
  const dataDir = mkdtempSync(join(tmpdir(), 'gv-data-'));
  const env: Record<string, string> = {
    GRIDVOICE_DATA_DIR: dataDir,
    GRIDVOICE_SECRET: 'test-secret-test-secret-test-secret-0123',
    GRIDVOICE_DEMO_PASSWORD: DEMO_PASSWORD,
    DATABASE_URL: fresh.url,
    LOG_LEVEL: 'silent',
    GRIDVOICE_SWEEPER_INTERVAL_MS: '0',
    ...opts.env,
  };
  const config = loadConfig(env);
  const app = await buildApp(config, { db: fresh.db, clock, logger: false, webDist: join(dataDir, 'no-web'), checkResponses: true });
  try {
    await prepare(fresh.db, app.services, config, { demoTickets: opts.demoTickets ?? false });
  } catch (err) {
    // Never leave a half-migrated schema behind to confuse later runs.
    await app.close();
    await fresh.db.close();
    await fresh.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    app,
    db: fresh.db,
    config,
    clock,
    env,
    connectAgain: fresh.connectAgain,
    login: (username, password = DEMO_PASSWORD) => loginTo(app, username, password),
    async close() {
      await app.close();
      await fresh.db.close();
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SecondNode {
  app: App;
  db: Db;
  config: Config;
  close(): Promise<void>;
}

/**
 * A second node on the test app's database, as behind a load balancer: its own connection pool and its own data
 * dir (so a `local` file store is not shared unless `env` points both at one directory), the same secret and clock.
 */
export async function secondNode(t: TestApp, env: Record<string, string> = {}): Promise<SecondNode> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gv-data-'));
  const config = loadConfig({ ...t.env, GRIDVOICE_DATA_DIR: dataDir, ...env });
  const db = t.connectAgain();
  const app = await buildApp(config, { db, clock: t.clock, logger: false, webDist: join(dataDir, 'no-web'), checkResponses: true });
  return {
    app,
    db,
    config,
    async close() {
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
