import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { prepare, StartupError } from '../../server/bootstrap.ts';
import { backup } from '../../server/cli/backup.ts';
import { loadConfig } from '../../server/config.ts';
import { createServices } from '../../server/container.ts';
import { connect, type Db } from '../../server/db/connect.ts';
import { SCHEMA_RELEASE } from '../../server/db/migrate.ts';
import { systemClock } from '../../server/lib/time.ts';
import { describeEachDb, freshDb } from '../harness.ts';

const SECRET = 'startup-secret-startup-secret-startup-01';
const run = promisify(execFile);

describeEachDb('start-up checks', (dialect) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function fresh() {
    const f = await freshDb(dialect);
    const dataDir = mkdtempSync(join(tmpdir(), 'gv-start-'));
    const config = loadConfig({ GRIDVOICE_DATA_DIR: dataDir, GRIDVOICE_SECRET: SECRET, DATABASE_URL: f.url, GRIDVOICE_DEMO: '0' });
    cleanups.push(async () => {
      await f.db.close();
      await f.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    return { db: f.db, config, services: createServices(f.db, config, systemClock) };
  }
  const fail = (p: Promise<unknown>) =>
    p.then(
      () => new Error('expected a StartupError'),
      (e: unknown) => e as Error,
    );

  it('refuses a schema behind the code unless asked to migrate, and says to run gridvoice migrate', async () => {
    const { db, config, services } = await fresh();
    const err = await fail(prepare(db, services, config, { migrate: false }));
    expect(err).toBeInstanceOf(StartupError);
    expect(err.message).toContain('Run `gridvoice migrate` once');
    expect((await prepare(db, services, config, { migrate: true })).migrations.length).toBeGreaterThan(0);
    expect((await prepare(db, services, config, { migrate: false })).migrations).toEqual([]);
  });

  it('runs on a schema one release newer and says so, and refuses one two releases newer', async () => {
    const { db, config, services } = await fresh();
    await prepare(db, services, config);
    const k = db.kysely;
    await k
      .insertInto('kysely_migration' as never)
      .values({ name: '999-from-the-future', timestamp: new Date().toISOString() } as never)
      .execute();
    const setRelease = (r: number) =>
      k
        .updateTable('meta')
        .set({ value: String(r) })
        .where('key', '=', 'schema_release')
        .execute();
    await setRelease(SCHEMA_RELEASE + 1);
    const report = await prepare(db, services, config, { migrate: true });
    expect(report.schemaNote).toBe(
      `database schema is release ${SCHEMA_RELEASE + 1}, one newer than this node (${SCHEMA_RELEASE}): running on it unchanged (rolling upgrade)`,
    );
    await setRelease(SCHEMA_RELEASE + 2);
    const err = await fail(prepare(db, services, config, { migrate: true }));
    expect(err.message).toMatch(/a node runs on a schema at most one release newer/);
  });

  it.runIf(dialect === 'postgres')('lets two nodes start together on an empty database', async () => {
    const { db, config, services } = await fresh();
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    const schema = (await db.kysely.selectNoFrom((eb) => eb.fn<string>('current_schema').as('s')).executeTakeFirstOrThrow()).s;
    const other: Db = connect(url.toString(), { searchPath: schema, poolSize: 4 });
    cleanups.push(() => other.close());
    const [a, b] = await Promise.all([
      prepare(db, services, config, { demoTickets: false }),
      prepare(other, createServices(other, config, systemClock), config, { demoTickets: false }),
    ]);
    expect([a.firstStart, b.firstStart].sort()).toEqual([false, true]);
  });

  it.runIf(dialect === 'postgres')('refuses a SQL_ASCII database with the CREATE DATABASE line to use', async () => {
    const name = `gv_ascii_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name} template template0 encoding 'SQL_ASCII' locale 'C'`);
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.pathname = `/${name}`;
    const db = connect(url.toString());
    cleanups.push(async () => {
      await db.close();
      await admin.query(`drop database ${name}`);
      await admin.end();
    });
    const config = loadConfig({
      GRIDVOICE_SECRET: SECRET,
      DATABASE_URL: url.toString(),
      GRIDVOICE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gv-a-')),
    });
    const err = await fail(prepare(db, createServices(db, config, systemClock), config));
    expect(err).toBeInstanceOf(StartupError);
    expect(err.message).toContain(`database "${name}" has encoding SQL_ASCII`);
    expect(err.message).toContain(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8';`);
  });
});

describe('gridvoice files and help', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gv-files-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the database and its backup 0600 in a 0700 directory, and --help runs nothing', async () => {
    const data = join(dir, 'data');
    const file = join(data, 'gridvoice.sqlite');
    const db = connect(`sqlite:${file}`);
    await db.kysely.schema.createTable('x').addColumn('a', 'integer').execute();
    await db.close();
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const config = loadConfig({ GRIDVOICE_SECRET: SECRET, DATABASE_URL: `sqlite:${file}`, GRIDVOICE_DATA_DIR: data });
    const target = join(dir, 'backups', 'b.sqlite');
    await backup(config, target);
    expect(statSync(target).mode & 0o777).toBe(0o600);

    const other = join(dir, 'never');
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'gridvoice.js');
    // In parallel: each is a whole CLI start (tsx), seconds on a loaded machine.
    const commands = ['migrate', 'seed-demo', 'verify-events'];
    const runs = await Promise.all(
      commands.map((cmd) =>
        run(process.execPath, [bin, cmd, '--help'], { env: { ...process.env, GRIDVOICE_DATA_DIR: other, DATABASE_URL: '' } }),
      ),
    );
    for (const [i, r] of runs.entries()) expect(r.stdout).toContain(`Usage: gridvoice ${commands[i]}`);
    expect(existsSync(other)).toBe(false);
  }, 120_000);
});
