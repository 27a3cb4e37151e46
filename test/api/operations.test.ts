import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../server/app.ts';
import { prepare } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import { connect, type Db } from '../../server/db/connect.ts';
import { withAdvisoryLock } from '../../server/db/sql/advisory-lock.ts';
import { isConnectionLostError } from '../../server/db/sql/index.ts';
import { complaintBody, intake } from '../factories.ts';
import { DEMO_PASSWORD, describeEachDb, makeTestApp, type TestApp } from '../harness.ts';

const PG_URL = process.env.TEST_DATABASE_URL;
const SECRET = 'test-secret-test-secret-test-secret-0123';

function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describeEachDb('GET /metrics', (dialect) => {
  let t: TestApp;
  let guarded: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(dialect);
    guarded = await makeTestApp(dialect, { env: { GRIDVOICE_METRICS_TOKEN: 'metrics-token-0123456789' } });
  });
  afterAll(async () => {
    await t?.close();
    await guarded?.close();
  });

  it('answers 403 to a scraper on another host when no token is configured', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });

  it('answers 403 without the token and serves it with the token, which is not taken for an API token', async () => {
    expect((await guarded.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(403);
    const wrong = await guarded.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer metrics-token-0123456780' },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await guarded.app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '10.1.2.3',
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toContain('text/plain');
  });

  it('counts requests by route pattern and intake by channel, and reads the outbox, sweeper and pool', async () => {
    const agent = await t.login('agent');
    const created = await intake(t, agent);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().ticket.id as number;
    await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers: agent });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    const text = res.body;
    expect(metricValue(text, 'gridvoice_http_requests_total', { route: '/api/v1/tickets/:id', status: '200' })).toBe(1);
    expect(text).not.toContain(`/api/v1/tickets/${id}"`);
    expect(metricValue(text, 'gridvoice_http_request_duration_seconds_count', { route: '/api/v1/tickets', method: 'POST' })).toBe(1);
    expect(metricValue(text, 'gridvoice_intake_total')).toBe(1);
    expect(metricValue(text, 'gridvoice_database_up')).toBe(1);
    expect(text).toContain('gridvoice_outbox_backlog{status="pending"}');
    expect(text).toContain('gridvoice_outbox_oldest_age_seconds');
    expect(text).toContain('gridvoice_sweeper_lag_seconds');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('process_cpu_seconds_total');
    if (dialect === 'postgres') expect(metricValue(text, 'gridvoice_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
  });
});

describeEachDb('GET /readyz', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('answers 503 once the node drains, so that the balancer sends it nothing new', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    t.app.lifecycle.draining = true;
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.details).toEqual({ draining: true });
    t.app.lifecycle.draining = false;
  });
});

describeEachDb('singleton jobs', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('skips a job while another holder runs it (PostgreSQL) and runs it again once released', async () => {
    const k = t.db.kysely;
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let inner: { ran: boolean } | null = null;
    const outer = withAdvisoryLock(k, dialect, 'job:test', async () => {
      inner = await withAdvisoryLock(k, dialect, 'job:test', async () => 'second');
      await held;
    });
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect(await outer).toEqual({ ran: true, value: undefined });
    // SQLite has one process: nothing to coordinate. PostgreSQL: the second holder (another connection) is refused.
    expect(inner).toEqual(dialect === 'postgres' ? { ran: false } : { ran: true, value: 'second' });
    expect(await withAdvisoryLock(k, dialect, 'job:test', async () => 'again')).toEqual({ ran: true, value: 'again' });
  });
});

describe('database connection errors', () => {
  it('tells a lost connection from a bad statement', () => {
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(isConnectionLostError(terminated)).toBe(true);
    expect(isConnectionLostError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLostError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionLostError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isConnectionLostError(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isConnectionLostError('Connection terminated')).toBe(false);
  });
});

async function appOver(db: Db, url: string): Promise<{ app: App; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gv-data-'));
  const config = loadConfig({
    GRIDVOICE_DATA_DIR: dataDir,
    GRIDVOICE_SECRET: SECRET,
    GRIDVOICE_DEMO_PASSWORD: DEMO_PASSWORD,
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    GRIDVOICE_SWEEPER_INTERVAL_MS: '0',
  });
  return { app: await buildApp(config, { db, logger: false, webDist: join(dataDir, 'no-web') }), dataDir };
}

describe('a PostgreSQL server that cannot be reached', () => {
  it('answers 503 database_unavailable with Retry-After, and /readyz 503', async () => {
    // Nothing listens on port 1: every connection attempt is refused at once.
    const url = 'postgres://postgres@127.0.0.1:1/gridvoice';
    const db = connect(url, { log: { warn() {} } });
    const { app, dataDir } = await appOver(db, url);
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'agent', password: DEMO_PASSWORD },
      });
      expect(login.statusCode).toBe(503);
      expect(login.json().error.code).toBe('database_unavailable');
      expect(login.headers['retry-after']).toBeDefined();
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().error.code).toBe('database_unavailable');
    } finally {
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!PG_URL)('a PostgreSQL session terminated under the node', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const appName = `gv_fault_${schema}`;
  let db: Db;
  let app: App;
  let dataDir: string;
  const lost: unknown[] = [];
  const admin = () => new pg.Client({ connectionString: PG_URL });

  async function terminateAll(): Promise<number> {
    const c = admin();
    await c.connect();
    const r = await c.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [appName]);
    await c.end();
    return r.rowCount ?? 0;
  }

  beforeAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
    db = connect(PG_URL as string, { searchPath: schema, poolSize: 4, applicationName: appName, log: { warn: (obj) => lost.push(obj) } });
    ({ app, dataDir } = await appOver(db, PG_URL as string));
    await prepare(db, app.services, app.services.config, { demoTickets: false });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    const c = admin();
    await c.connect();
    await c.query(`drop schema ${schema} cascade`);
    await c.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the process up when idle connections are terminated and serves the next requests on new ones', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent', password: DEMO_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const cookie = `gv_session=${login.cookies.find((x) => x.name === 'gv_session')?.value}`;
    expect(await terminateAll()).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(lost.length).toBeGreaterThan(0);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.statusCode, me.body).toBe(200);
  });

  it('fails only the request whose connection is lost mid-transaction, with 503, and recovers', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent', password: DEMO_PASSWORD } });
    const headers = {
      cookie: `gv_session=${login.cookies.find((x) => x.name === 'gv_session')?.value}`,
      origin: 'http://localhost:80',
      host: 'localhost:80',
    };
    // A connection is checked out and its session ended while it sits in a transaction: the next statement fails.
    const err = await db.kysely
      .transaction()
      .execute(async (trx) => {
        await terminateAll();
        await new Promise((r) => setTimeout(r, 100));
        await trx.selectFrom('tickets').select('id').execute();
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isConnectionLostError(err)).toBe(true);
    const created = await app.inject({ method: 'POST', url: '/api/v1/tickets', headers, payload: complaintBody() });
    expect(created.statusCode, created.body).toBe(201);
  });
});
