import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_TIME_POLICY } from '../../core/time-policy.ts';
import { createServices } from '../../server/container.ts';
import { systemClock } from '../../server/lib/time.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

describeEachDb('time policy in force', (dialect) => {
  let t: TestApp;
  const clock = testClock('2026-11-02T09:00:00.000Z');
  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock });
  });
  afterAll(async () => t?.close());

  it('follows a version another app node adds at once, and picks the version by its effective instant', async () => {
    // Two nodes over one database: each keeps its own list of versions in memory.
    const other = createServices(t.db, t.config, systemClock);
    const here = t.app.services.reference;
    const before = await here.policyAt(clock());
    const admin = await other.auth.actorFor('admin');
    const added = await other.reference.createPolicy(admin, {
      effectiveFrom: '2026-11-02T08:00:00.000Z',
      rules: DEFAULT_TIME_POLICY,
      note: '新版时限',
    });
    const later = await other.reference.createPolicy(admin, {
      effectiveFrom: '2026-12-01T00:00:00.000Z',
      rules: DEFAULT_TIME_POLICY,
      note: '下月起',
    });
    expect(added.id).not.toBe(before.id);
    expect((await here.policyAt(clock())).id).toBe(added.id);
    expect((await here.policyAt(new Date('2026-11-02T07:59:59.999Z'))).id).toBe(before.id);
    expect((await here.policyAt(new Date('2026-12-01T00:00:00.000Z'))).id).toBe(later.id);
    // An intake on this node is stamped with the version in force now.
    const h = await t.login('agent');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: h,
      payload: { kind: 'complaint', channel: 'phone', description: '电费异常，请核查', customer: { name: '张三', phone: '13800000001' } },
    });
    expect(res.statusCode).toBe(201);
    const row = await t.db.kysely
      .selectFrom('tickets')
      .select('policy_id')
      .where('id', '=', res.json().ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.policy_id).toBe(added.id);
  });
});

describeEachDb('admin reference endpoints', (dialect) => {
  let t: TestApp;
  let h: Record<string, string>;
  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock: testClock('2026-11-02T09:00:00.000Z'), demoTickets: false });
    h = await t.login('admin');
  });
  afterAll(async () => t?.close());

  it('lists and adds time-limit versions, classes and calendar data in the shapes their schemas describe', async () => {
    const get = async (url: string) => {
      const res = await t.app.inject({ method: 'GET', url, headers: h });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const before = (await get('/api/v1/time-policies')).items.length;
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/v1/time-policies',
      headers: h,
      payload: { effectiveFrom: '2026-12-01T00:00:00.000Z', rules: DEFAULT_TIME_POLICY, note: '下月起' },
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().policy).toMatchObject({ effectiveFrom: '2026-12-01T00:00:00.000Z', note: '下月起', rules: DEFAULT_TIME_POLICY });
    expect((await get('/api/v1/time-policies')).items).toHaveLength(before + 1);

    const cls = await t.app.inject({
      method: 'POST',
      url: '/api/v1/taxonomy/classes',
      headers: h,
      payload: { code: 'service.queue_time', parent: 'service', zh: '排队时间长', en: 'Long queues' },
    });
    expect([cls.statusCode, cls.json()]).toEqual([201, { ok: true }]);
    const off = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/taxonomy/classes/service.queue_time',
      headers: h,
      payload: { active: false },
    });
    expect([off.statusCode, off.json()]).toEqual([200, { ok: true }]);
    const taxonomy = await get('/api/v1/taxonomy');
    expect(taxonomy.classes).toContainEqual({
      code: 'service.queue_time',
      parent: 'service',
      family: 'complaint',
      zh: '排队时间长',
      en: 'Long queues',
      active: false,
    });
    expect(taxonomy.actions.length).toBeGreaterThan(0);

    const override = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/overrides/2026-11-20',
      headers: h,
      payload: { workday: false, note: '抢修' },
    });
    expect(override.statusCode, override.body).toBe(200);
    expect((await get('/api/v1/calendar')).overrides).toContainEqual({ date: '2026-11-20', workday: false, note: '抢修' });
  });
});
