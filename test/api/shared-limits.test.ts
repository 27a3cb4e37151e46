import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { RateLimitRepository } from '../../server/repositories/rate-limit.repository.ts';
import { describeEachDb, freshDb, makeTestApp, type SecondNode, secondNode, TEST_REDIS_URL, type TestApp } from '../harness.ts';

const PORTAL = '/api/public/portal';
const filing = (phone: string) => ({
  kind: 'complaint',
  classCode: 'business.billing',
  name: '张建国',
  phone,
  location: '示范县城关镇人民路18号',
  description: '我家上个月电费突然翻倍，平时只有一百多，这个月三百多，要求核查电表。',
});

describeEachDb('rate-limit counters in the database', (dialect) => {
  it('counts hits in a window, restarts a window that ran out, and purges expired ones', async () => {
    const fresh = await freshDb(dialect);
    try {
      await migrateToLatest(fresh.db);
      const repo = new RateLimitRepository(fresh.db.kysely);
      const t0 = '2026-11-02T02:00:00.000Z';
      const end = '2026-11-02T02:01:00.000Z';
      expect(await repo.hit('k', t0, end)).toEqual({ hits: 1, expiresAt: end });
      expect(await repo.hit('k', '2026-11-02T02:00:30.000Z', '2026-11-02T02:01:30.000Z')).toEqual({ hits: 2, expiresAt: end });
      expect(await repo.peek('k', '2026-11-02T02:00:31.000Z')).toEqual({ hits: 2, expiresAt: end });
      expect(await repo.hit('k', end, '2026-11-02T02:02:00.000Z')).toEqual({ hits: 1, expiresAt: '2026-11-02T02:02:00.000Z' });
      await repo.hit('other', t0, end);
      expect(await repo.purgeExpired('2026-11-02T02:01:30.000Z')).toBe(1);
      expect(await repo.peek('other', t0)).toBeNull();
    } finally {
      await fresh.db.close();
      await fresh.drop();
    }
  });

  it('loses no hit when two connections count the same key at once', async () => {
    const fresh = await freshDb(dialect);
    const other = fresh.connectAgain();
    try {
      await migrateToLatest(fresh.db);
      const repos = [new RateLimitRepository(fresh.db.kysely), new RateLimitRepository(other.kysely)];
      const now = '2026-11-02T02:00:00.000Z';
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) => (repos[i % 2] as RateLimitRepository).hit('busy', now, '2026-11-02T03:00:00.000Z')),
      );
      expect(results.map((r) => r.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    } finally {
      await other.close();
      await fresh.db.close();
      await fresh.drop();
    }
  });
});

describeEachDb('rate limits shared by two nodes', (dialect) => {
  const stores: Array<'database' | 'redis'> = dialect === 'postgres' ? ['database', 'redis'] : ['redis'];

  for (const store of stores) {
    const describeStore = store === 'redis' && !TEST_REDIS_URL ? describe.skip : describe;
    describeStore(`counted in ${store}`, () => {
      let a: TestApp;
      let b: SecondNode;
      const prefix = `gvtest:${randomBytes(4).toString('hex')}:`;

      beforeAll(async () => {
        const env: Record<string, string> = {
          GRIDVOICE_TRUST_PROXY: '127.0.0.1',
          GRIDVOICE_PORTAL_IP_PER_HOUR: '3',
          GRIDVOICE_PORTAL_PHONE_PER_DAY: '2',
          ...(store === 'redis' ? { REDIS_URL: TEST_REDIS_URL as string, GRIDVOICE_REDIS_PREFIX: prefix } : {}),
        };
        a = await makeTestApp(dialect, { env });
        b = await secondNode(a);
      });
      afterAll(async () => {
        if (store === 'redis' && TEST_REDIS_URL) {
          const r = new Redis(TEST_REDIS_URL);
          const keys = await r.keys(`${prefix}*`);
          if (keys.length) await r.del(...keys);
          r.disconnect();
        }
        await b?.close();
        await a?.close();
      });

      const loginFrom = (app: TestApp['app'], client: string, n: number) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: `nobody${n}`, password: 'wrong-password' },
          headers: { 'x-forwarded-for': client },
        });
      const fileFrom = (app: TestApp['app'], client: string, phone: string) =>
        app.inject({ method: 'POST', url: `${PORTAL}/submissions`, payload: filing(phone), headers: { 'x-forwarded-for': client } });

      it(`keeps the counters in ${store}`, () => {
        expect(a.app.rateLimitStore.kind).toBe(store);
        expect(b.app.rateLimitStore.kind).toBe(store);
      });

      it('answers 429 on either node once a client made 20 logins a minute across both', async () => {
        for (let i = 0; i < 20; i++) expect((await loginFrom(i % 2 ? b.app : a.app, '192.0.2.10', i)).statusCode).toBe(401);
        for (const app of [a.app, b.app]) {
          const over = await loginFrom(app, '192.0.2.10', 99);
          expect(over.statusCode).toBe(429);
          expect(over.json().error.code).toBe('rate_limited');
        }
        expect((await loginFrom(b.app, '192.0.2.11', 100)).statusCode).toBe(401);
        if (store === 'redis') {
          const r = new Redis(TEST_REDIS_URL as string);
          expect((await r.keys(`${prefix}*`)).length).toBeGreaterThan(0);
          r.disconnect();
        } else {
          const rows = await a.db.kysely.selectFrom('rate_limits').select(['key', 'hits']).execute();
          expect(rows.find((r) => r.key.endsWith('|192.0.2.10'))?.hits).toBe(22);
        }
      });

      it('answers 429 to a portal client past its filings an hour, wherever the filings went', async () => {
        expect((await fileFrom(a.app, '192.0.2.20', '13900000101')).statusCode).toBe(201);
        expect((await fileFrom(b.app, '192.0.2.20', '13900000102')).statusCode).toBe(201);
        expect((await fileFrom(a.app, '192.0.2.20', '13900000103')).statusCode).toBe(201);
        const over = await fileFrom(b.app, '192.0.2.20', '13900000104');
        expect(over.statusCode).toBe(429);
        expect(over.json().error.code).toBe('rate_limited');
      });

      it('answers 429 naming the phone past its filings a day, whichever node and address they came from', async () => {
        expect((await fileFrom(a.app, '192.0.2.30', '13900000201')).statusCode).toBe(201);
        expect((await fileFrom(b.app, '192.0.2.31', '13900000201')).statusCode).toBe(201);
        const over = await fileFrom(a.app, '192.0.2.32', '13900000201');
        expect(over.statusCode).toBe(429);
        expect(over.json().error.details.field).toBe('phone');
      });
    });
  }

  if (dialect === 'sqlite') {
    it('counts in process on SQLite without REDIS_URL', async () => {
      const t = await makeTestApp(dialect);
      try {
        expect(t.app.rateLimitStore.kind).toBe('memory');
      } finally {
        await t.close();
      }
    });
  }

  it('keeps serving logins, unthrottled, while Redis cannot be reached', async () => {
    const t = await makeTestApp(dialect, { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      expect(t.app.rateLimitStore.kind).toBe('redis');
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } });
      expect(res.statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});
