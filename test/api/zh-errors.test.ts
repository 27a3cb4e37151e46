import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

describeEachDb('texts people read, in Chinese', (dialect) => {
  let t: TestApp;
  let leader: H;

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock: testClock('2026-11-16T02:00:00.000Z') });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'leader', password: DEMO_PASSWORD },
      remoteAddress: '10.9.0.1',
    });
    const cookie = res.cookies.find((c) => c.name === 'gv_session');
    leader = { cookie: `gv_session=${cookie?.value}`, origin: 'http://localhost:80', host: 'localhost:80' };
  });
  afterAll(async () => t?.close());

  describe('GET /stats/bulletin?format=html', () => {
    it('answers a bad month with a Chinese page, not the JSON error', async () => {
      for (const month of ['2026-1', '2026-13', 'abc']) {
        const r = await t.app.inject({ method: 'GET', url: `/api/v1/stats/bulletin?month=${month}&format=html`, headers: leader });
        expect(r.statusCode, month).toBe(400);
        expect(r.headers['content-type']).toContain('text/html');
        expect(r.body).toContain('通报月份有误');
        expect(r.body).not.toContain('"error"');
      }
    });

    it('answers a reader without a session with a Chinese page too', async () => {
      const r = await t.app.inject({ method: 'GET', url: '/api/v1/stats/bulletin?month=2026-11&format=html' });
      expect(r.statusCode).toBe(401);
      expect(r.body).toContain('登录已过期');
    });

    it('keeps the JSON error for the API (no format or format=json)', async () => {
      const r = await t.app.inject({ method: 'GET', url: '/api/v1/stats/bulletin?month=2026-13', headers: leader });
      expect(r.statusCode).toBe(400);
      expect(JSON.parse(r.body).error).toMatchObject({ code: 'validation_failed', details: { field: 'month' } });
    });

    it('still prints a good month', async () => {
      const r = await t.app.inject({ method: 'GET', url: '/api/v1/stats/bulletin?month=2026-11&format=html', headers: leader });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('客户投诉举报情况通报');
    });
  });

  describe('the built-in time-limit policy', () => {
    it('is described in Chinese, with no reference to design documents', async () => {
      const policies = await t.app.services.repos.reference.listPolicies();
      expect(policies.at(-1)?.note).toBe('出厂默认时限 Default time limits');
    });

    it('renames the note of an installation from before', async () => {
      const repo = t.app.services.repos.reference;
      const first = (await repo.listPolicies()).at(-1);
      await t.db.kysely
        .updateTable('time_policies')
        .set({ note: 'DESIGN §5 defaults' })
        .where('id', '=', first?.id as number)
        .execute();
      await t.app.services.reference.ensureDefaults();
      expect((await repo.listPolicies()).at(-1)?.note).not.toContain('DESIGN');
    });
  });
});
