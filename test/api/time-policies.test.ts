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
