import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { type App, buildApp } from '../../server/app.ts';
import { prepare } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import type { Db } from '../../server/db/connect.ts';
import { DEMO_PASSWORD, describeEachDb, freshDb, testClock } from '../harness.ts';

const DEMO_USERNAMES = ['admin', 'agent', 'analyst', 'discipline', 'handler', 'handler2', 'leader', 'reviewer', 'unitlead'];

describeEachDb('bootstrap prepare()', (dialect) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** An app over a fresh, unprepared database; prepare() is the test's to call. */
  const setUp = async (env: Record<string, string> = {}): Promise<{ app: App; db: Db; config: ReturnType<typeof loadConfig> }> => {
    const fresh = await freshDb(dialect);
    const dataDir = mkdtempSync(join(tmpdir(), 'gv-boot-'));
    const config = loadConfig({
      GRIDVOICE_DATA_DIR: dataDir,
      GRIDVOICE_SECRET: 'test-secret-test-secret-test-secret-0123',
      DATABASE_URL: fresh.url,
      LOG_LEVEL: 'silent',
      GRIDVOICE_SWEEPER_INTERVAL_MS: '0',
      ...env,
    });
    const app = await buildApp(config, { db: fresh.db, clock: testClock(), logger: false, webDist: join(dataDir, 'no-web') });
    cleanups.push(async () => {
      await app.close();
      await fresh.db.close();
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    return { app, db: fresh.db, config };
  };

  const counts = async (db: Db) => {
    const n = async (table: 'org_units' | 'users' | 'user_roles' | 'tickets') =>
      Number(
        (
          await db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { units: await n('org_units'), users: await n('users'), roles: await n('user_roles'), tickets: await n('tickets') };
  };
  const login = (app: App, username: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

  it('seeds the demo organisation and users on first start only', async () => {
    const { app, db, config } = await setUp({ GRIDVOICE_DEMO_PASSWORD: DEMO_PASSWORD });
    const first = await prepare(db, app.services, config, { demoTickets: false });
    expect(first.firstStart).toBe(true);
    expect(first.password).toBe(DEMO_PASSWORD);
    expect(first.logins.map((l) => l.username).sort()).toEqual(DEMO_USERNAMES);

    const after = await counts(db);
    expect(after).toMatchObject({ units: 14, users: 9 });
    const units = await db.kysely.selectFrom('org_units').select(['name', 'kind']).execute();
    expect(units.filter((u) => u.kind === 'company').map((u) => u.name)).toEqual(['示范县供电公司']);
    expect(units.filter((u) => u.kind === 'department')).toHaveLength(5);
    expect(units.filter((u) => u.kind === 'station')).toHaveLength(8);
    const users = await db.kysely.selectFrom('users').select('username').execute();
    expect(users.map((u) => u.username).sort()).toEqual(DEMO_USERNAMES);
    expect((await login(app, 'agent', DEMO_PASSWORD)).statusCode).toBe(200);

    const second = await prepare(db, app.services, config, { demoTickets: false });
    expect(second.firstStart).toBe(false);
    expect(second.migrations).toEqual([]);
    expect(await counts(db)).toEqual(after);
  });

  it('migrates a fresh database while another schema of the same server already holds migrations', async () => {
    // On PostgreSQL both live in one database (one schema each); GridVoice must not mistake the other's tables for its own.
    const other = await setUp({ GRIDVOICE_DEMO_PASSWORD: DEMO_PASSWORD });
    await prepare(other.db, other.app.services, other.config, { demoTickets: false });
    const { app, db, config } = await setUp({ GRIDVOICE_DEMO_PASSWORD: DEMO_PASSWORD });
    const report = await prepare(db, app.services, config, { demoTickets: false });
    expect(report.firstStart).toBe(true);
    expect((await counts(db)).users).toBe(9);
  });

  it('creates only a bootstrap admin who must change the password when GRIDVOICE_DEMO=0', async () => {
    const { app, db, config } = await setUp({ GRIDVOICE_DEMO: '0' });
    const report = await prepare(db, app.services, config);
    expect(report.firstStart).toBe(true);
    expect(report.logins).toEqual([{ username: 'admin', roles: ['admin'] }]);
    expect(report.password).toEqual(expect.any(String));
    expect(report.password?.length).toBeGreaterThanOrEqual(12);

    const users = await db.kysely.selectFrom('users').select(['username', 'must_change_password']).execute();
    expect(users).toEqual([{ username: 'admin', must_change_password: 1 }]);
    expect((await counts(db)).tickets).toBe(0);
    expect((await login(app, 'agent', DEMO_PASSWORD)).statusCode).toBe(401);

    const res = await login(app, 'admin', report.password as string);
    expect(res.statusCode, res.body).toBe(200);
    const me = JSON.parse(res.body) as { user: { roles: string[] } };
    expect(me.user.roles).toEqual(['admin']);

    // A restart neither seeds again nor prints the one-time password again.
    const second = await prepare(db, app.services, config);
    expect(second.firstStart).toBe(false);
    expect(second.password).toBeNull();
    expect(await db.kysely.selectFrom('users').select('username').execute()).toHaveLength(1);
  });
});
